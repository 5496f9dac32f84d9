import { Module } from '@nestjs/common';
import { ClientAccess } from '../access/client-access';
import { OutboxModule } from '../outbox/outbox.module';
import { PlansModule } from '../plans/plans.module';
import { AccountOpening } from './account-opening';
import { ClientReadModel } from './client.read-model';
import { ClientsController } from './clients.controller';
import { ChangeClientStatusHandler } from './change-client-status/change-client-status.handler';
import { ClientUpdater } from './client-updater';
import { CreateClientHandler } from './create-client/create-client.handler';
import { EndRelationshipHandler } from './end-relationship/end-relationship.handler';
import { UpdateClientHandler } from './update-client/update-client.handler';
import { GetClientHandler } from './get-client/get-client.handler';
import { ExportClientsHandler } from './export-clients/export-clients.handler';
import { ListClientsHandler } from './list-clients/list-clients.handler';

const commandHandlers = [CreateClientHandler, UpdateClientHandler, ChangeClientStatusHandler, EndRelationshipHandler];
const queryHandlers = [GetClientHandler, ListClientsHandler, ExportClientsHandler];

@Module({
  imports: [OutboxModule, PlansModule],
  controllers: [ClientsController],
  providers: [...commandHandlers, ...queryHandlers, ClientAccess, ClientReadModel, AccountOpening, ClientUpdater],
  exports: [ClientAccess, ClientReadModel, AccountOpening, ClientUpdater],
})
export class ClientsModule {}
