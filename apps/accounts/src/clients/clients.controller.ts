import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountsRpc, ClientIdRequest, CreateClientRequest, ListClientsRequest, type Caller } from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { CreateClientCommand } from './create-client/create-client.command';
import { GetClientQuery } from './get-client/get-client.query';
import { ListClientsQuery } from './list-clients/list-clients.query';

@Controller()
export class ClientsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(AccountsRpc.createClient)
  create(@Payload() body: CreateClientRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new CreateClientCommand(caller, body));
  }

  @MessagePattern(AccountsRpc.getClient)
  get(@Payload() { id }: ClientIdRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new GetClientQuery(caller, id));
  }

  @MessagePattern(AccountsRpc.listClients)
  list(@Payload() filter: ListClientsRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListClientsQuery(caller, filter));
  }
}
