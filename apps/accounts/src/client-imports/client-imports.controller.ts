import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountsRpc,
  ClientImportIdRequest,
  CreateClientImportPayload,
  ListClientImportRowsPayload,
  ListClientImportsRequest,
  StageClientImportPartPayload,
  type Caller,
} from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { CreateClientImportCommand } from './create-client-import/create-client-import.command';
import { StageClientImportPartCommand } from './stage-client-import-part/stage-client-import-part.command';
import { GetClientImportQuery } from './get-client-import/get-client-import.query';
import { ListClientImportRowsQuery } from './list-client-import-rows/list-client-import-rows.query';
import { ListClientImportsQuery } from './list-client-imports/list-client-imports.query';

@Controller()
export class ClientImportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Replayed for a repeated Idempotency-Key: the same file gives the same request (staged parts are named by its digest). */
  @MessagePattern(AccountsRpc.createClientImport)
  @Idempotent()
  create(@Payload() payload: CreateClientImportPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new CreateClientImportCommand(caller, payload));
  }

  @MessagePattern(AccountsRpc.stageClientImportPart)
  stagePart(@Payload() payload: StageClientImportPartPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new StageClientImportPartCommand(caller, payload));
  }

  @MessagePattern(AccountsRpc.listClientImports)
  list(@Payload() filter: ListClientImportsRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListClientImportsQuery(caller, filter));
  }

  @MessagePattern(AccountsRpc.getClientImport)
  get(@Payload() { id }: ClientImportIdRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new GetClientImportQuery(caller, id));
  }

  @MessagePattern(AccountsRpc.listClientImportRows)
  rows(@Payload() filter: ListClientImportRowsPayload, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListClientImportRowsQuery(caller, filter));
  }
}
