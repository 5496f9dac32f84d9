import { Command } from '@nestjs/cqrs';
import type { SignInReply } from '@clientele/contracts';

export class ResetPasswordCommand extends Command<SignInReply> {
  constructor(
    readonly token: string,
    readonly password: string,
  ) {
    super();
  }
}
