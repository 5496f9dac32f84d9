import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { OutboxModule } from '../outbox/outbox.module';
import {
  CancelRelationshipRequestHandler,
  CreateRelationshipRequestHandler,
  DecideRelationshipRequestHandler,
  ListRelationshipRequestsHandler,
  MintRelationshipRequestLinkHandler,
} from './relationship-requests.handlers';
import { RelationshipRequestsController } from './relationship-requests.controller';

const commandHandlers = [
  CreateRelationshipRequestHandler,
  DecideRelationshipRequestHandler,
  CancelRelationshipRequestHandler,
  MintRelationshipRequestLinkHandler,
];
const queryHandlers = [ListRelationshipRequestsHandler];

@Module({
  imports: [ClientsModule, OutboxModule],
  controllers: [RelationshipRequestsController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class RelationshipRequestsModule {}
