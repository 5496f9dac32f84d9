import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountsRpc, UpdateOwnAccountPayload, type Caller } from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { GetOwnAccountQuery } from './get-own-account/get-own-account.query';
import { UpdateOwnAccountCommand } from './update-own-account/update-own-account.command';

/** The caller's own account. */
@Controller()
export class AccountController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(AccountsRpc.getOwnAccount)
  get(@CallerParam() caller: Caller) {
    return this.queries.execute(new GetOwnAccountQuery(caller));
  }

  @MessagePattern(AccountsRpc.updateOwnAccount)
  update(@Payload() { patch, expectedVersion }: UpdateOwnAccountPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new UpdateOwnAccountCommand(caller, patch, expectedVersion));
  }
}
