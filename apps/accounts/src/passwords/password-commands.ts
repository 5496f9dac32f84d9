import { Command } from '@nestjs/cqrs';
import type { Caller, MintedPasswordLink, SignInReply } from '@clientele/contracts';

export class MintPasswordLinkCommand extends Command<MintedPasswordLink> {
  constructor(
    readonly caller: Caller,
    readonly user: { email?: string; userId?: string },
    readonly purpose: 'reset' | 'setup',
  ) {
    super();
  }
}

export class ResetPasswordCommand extends Command<SignInReply> {
  constructor(
    readonly token: string,
    readonly password: string,
  ) {
    super();
  }
}
