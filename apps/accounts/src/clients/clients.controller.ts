import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountsRpc,
  ClientIdRequest,
  CreateClientRequest,
  ExportClientsRequest,
  ListClientsRequest,
  UpdateClientPayload,
  type Caller,
} from '@clientele/contracts';
import { CallerParam, WITHOUT_UNIT_OF_WORK } from '@clientele/messaging';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { ChangeClientStatusCommand } from './change-client-status/change-client-status.command';
import { CreateClientCommand } from './create-client/create-client.command';
import { EndRelationshipCommand } from './end-relationship/end-relationship.command';
import { UpdateClientCommand } from './update-client/update-client.command';
import { GetClientQuery } from './get-client/get-client.query';
import { ExportClientsQuery } from './export-clients/export-clients.query';
import { ListClientsQuery } from './list-clients/list-clients.query';

@Controller()
export class ClientsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(AccountsRpc.createClient)
  @Idempotent()
  create(@Payload() body: CreateClientRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new CreateClientCommand(caller, body));
  }

  // Both read straight from SQL (ClientReadModel, the page's statement): no unit of work of their own.
  @MessagePattern(AccountsRpc.getClient, WITHOUT_UNIT_OF_WORK)
  get(@Payload() { id }: ClientIdRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new GetClientQuery(caller, id));
  }

  @MessagePattern(AccountsRpc.listClients, WITHOUT_UNIT_OF_WORK)
  list(@Payload() filter: ListClientsRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListClientsQuery(caller, filter));
  }

  @MessagePattern(AccountsRpc.exportClients)
  export(@Payload() filter: ExportClientsRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new ExportClientsQuery(caller, filter));
  }

  @MessagePattern(AccountsRpc.updateClient)
  update(@Payload() { id, patch, expectedVersion }: UpdateClientPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new UpdateClientCommand(caller, id, patch, expectedVersion));
  }

  @MessagePattern(AccountsRpc.activateClient)
  @Idempotent()
  activate(@Payload() { id }: ClientIdRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new ChangeClientStatusCommand(caller, id, true));
  }

  @MessagePattern(AccountsRpc.deactivateClient)
  @Idempotent()
  deactivate(@Payload() { id }: ClientIdRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new ChangeClientStatusCommand(caller, id, false));
  }

  @MessagePattern(AccountsRpc.endRelationship)
  endRelationship(@Payload() { id }: ClientIdRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new EndRelationshipCommand(caller, id));
  }
}
