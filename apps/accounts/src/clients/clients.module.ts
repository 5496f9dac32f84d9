import { Module } from '@nestjs/common';
import { ClientAccess } from '../access/client-access';
import { OutboxModule } from '../outbox/outbox.module';
import { AccountOpening } from './account-opening';
import { ClientReadModel } from './client.read-model';
import { ClientsController } from './clients.controller';
import { CreateClientHandler } from './create-client/create-client.handler';
import { GetClientHandler } from './get-client/get-client.handler';
import { ListClientsHandler } from './list-clients/list-clients.handler';

const commandHandlers = [CreateClientHandler];
const queryHandlers = [GetClientHandler, ListClientsHandler];

@Module({
  imports: [OutboxModule],
  controllers: [ClientsController],
  providers: [...commandHandlers, ...queryHandlers, ClientAccess, ClientReadModel, AccountOpening],
  exports: [ClientReadModel, AccountOpening],
})
export class ClientsModule {}
