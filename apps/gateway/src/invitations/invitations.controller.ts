import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptInvitationRequest, AccountsRpc, type InvitationPreview, type SignInReply, type TokenResponse } from '@clientele/contracts';
import { Public } from '../auth/auth.guard';
import { Tokens } from '../auth/tokens';
import { Bus } from '../bus/accounts.bus';
import { CredentialRoute, fromPath } from '../limits/rate-limit.guard';

const ANONYMOUS = { kind: 'anonymous' } as const;

/** What the owner reaches from the e-mail, with nothing but the link. */
@ApiTags('owner onboarding')
@Public()
@Controller('v1/invitations/:token')
export class InvitationsController {
  constructor(
    private readonly bus: Bus,
    private readonly tokens: Tokens,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whom an invitation is for: 404 unknown, 410 used, expired or withdrawn' })
  preview(@Param('token') token: string) {
    return this.bus.request<InvitationPreview>(AccountsRpc.previewInvitation, { token }, ANONYMOUS);
  }

  @Post('accept')
  @CredentialRoute(fromPath('token'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the owner password; answers an access token as sign-in does' })
  async accept(@Param('token') token: string, @Body() { password }: AcceptInvitationRequest): Promise<TokenResponse> {
    const principal = await this.bus.request<SignInReply>(AccountsRpc.acceptInvitation, { token, password }, ANONYMOUS);
    return this.tokens.issue(principal);
  }
}
