import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AccountsRpc,
  NotificationsRpc,
  PasswordResetRequest,
  SetPasswordRequest,
  SignInRequest,
  type SignInReply,
  type TokenResponse,
} from '@clientele/contracts';
import { Bus } from '../bus/accounts.bus';
import { CredentialRoute, fromBody, fromPath } from '../limits/rate-limit.guard';
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
  @CredentialRoute(fromBody('email'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with e-mail and password' })
  async token(@Body() credentials: SignInRequest): Promise<TokenResponse> {
    const principal = await this.bus.request<SignInReply>(AccountsRpc.signIn, credentials, { kind: 'anonymous' });
    return this.tokens.issue(principal);
  }

  @Public()
  @Post('password-reset')
  @CredentialRoute(fromBody('email'))
  @HttpCode(202)
  @ApiOperation({ summary: 'E-mail a one-hour reset link if the address belongs to a user; always 202' })
  async requestPasswordReset(@Body() { email }: PasswordResetRequest): Promise<{ status: 'accepted' }> {
    // Queued either way, so the answer and its timing say nothing about whether the address is known.
    await this.bus.request(NotificationsRpc.requestPasswordReset, { email }, { kind: 'anonymous' });
    return { status: 'accepted' };
  }

  @Public()
  @Post('password-reset/:token')
  @CredentialRoute(fromPath('token'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new password through the link; answers an access token as sign-in does' })
  async resetPassword(@Param('token') token: string, @Body() { password }: SetPasswordRequest): Promise<TokenResponse> {
    const principal = await this.bus.request<SignInReply>(AccountsRpc.resetPassword, { token, password }, { kind: 'anonymous' });
    return this.tokens.issue(principal);
  }
}
