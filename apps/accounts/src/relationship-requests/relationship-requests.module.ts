import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { OutboxModule } from '../outbox/outbox.module';
import { CancelRelationshipRequestHandler } from './cancel-relationship-request/cancel-relationship-request.handler';
import { CreateRelationshipRequestHandler } from './create-relationship-request/create-relationship-request.handler';
import { DecideRelationshipRequestHandler } from './decide-relationship-request/decide-relationship-request.handler';
import { ListRelationshipRequestsHandler } from './list-relationship-requests/list-relationship-requests.handler';
import { MintRelationshipRequestLinkHandler } from './mint-relationship-request-link/mint-relationship-request-link.handler';
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
