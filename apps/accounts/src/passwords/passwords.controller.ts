import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountsRpc, MintPasswordLinkPayload, ResetPasswordPayload, type Caller } from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { MintPasswordLinkCommand } from './mint-password-link/mint-password-link.command';
import { ResetPasswordCommand } from './reset-password/reset-password.command';

@Controller()
export class PasswordsController {
  constructor(private readonly commands: CommandBus) {}

  @MessagePattern(AccountsRpc.mintPasswordLink)
  mint(@Payload() { email, userId, purpose }: MintPasswordLinkPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new MintPasswordLinkCommand(caller, { email, userId }, purpose));
  }

  @MessagePattern(AccountsRpc.resetPassword)
  reset(@Payload() { token, password }: ResetPasswordPayload) {
    return this.commands.execute(new ResetPasswordCommand(token, password));
  }
}
