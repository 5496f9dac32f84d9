import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountsRpc, ClientFormRequest, UpdateOwnAccountPayload, type Caller } from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { GetClientFormQuery } from './get-client-form/get-client-form.query';
import { GetOwnAccountQuery } from './get-own-account/get-own-account.query';
import { UpdateClientFormCommand } from './update-client-form/update-client-form.command';
import { UpdateOwnAccountCommand } from './update-own-account/update-own-account.command';

/** The caller's own account, and the client form its clients are opened and changed under. */
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

  @MessagePattern(AccountsRpc.getClientForm)
  getClientForm(@CallerParam() caller: Caller) {
    return this.queries.execute(new GetClientFormQuery(caller));
  }

  @MessagePattern(AccountsRpc.updateClientForm)
  updateClientForm(@Payload() form: ClientFormRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new UpdateClientFormCommand(caller, form));
  }
}
