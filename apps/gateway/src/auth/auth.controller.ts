import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountsRpc, SignInRequest, type SignInReply, type TokenResponse } from '@clientele/contracts';
import { Bus } from '../bus/accounts.bus';
import { Public } from './auth.guard';
import { Tokens } from './tokens';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly bus: Bus,
    private readonly tokens: Tokens,
  ) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with e-mail and password' })
  async token(@Body() credentials: SignInRequest): Promise<TokenResponse> {
    const principal = await this.bus.request<SignInReply>(AccountsRpc.signIn, credentials, { kind: 'anonymous' });
    return this.tokens.issue(principal);
  }
}
