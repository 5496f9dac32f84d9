import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountsRpc,
  CreateRelationshipRequest,
  InvitationTokenPayload,
  MintRelationshipRequestLinkPayload,
  PageRequest,
  RelationshipRequestIdPayload,
  type Caller,
} from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { CancelRelationshipRequestCommand } from './cancel-relationship-request/cancel-relationship-request.command';
import { CreateRelationshipRequestCommand } from './create-relationship-request/create-relationship-request.command';
import { DecideRelationshipRequestCommand } from './decide-relationship-request/decide-relationship-request.command';
import { ListRelationshipRequestsQuery } from './list-relationship-requests/list-relationship-requests.query';
import { MintRelationshipRequestLinkCommand } from './mint-relationship-request-link/mint-relationship-request-link.command';

@Controller()
export class RelationshipRequestsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @MessagePattern(AccountsRpc.createRelationshipRequest)
  @Idempotent()
  create(@Payload() { email, message }: CreateRelationshipRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new CreateRelationshipRequestCommand(caller, email, message));
  }

  @MessagePattern(AccountsRpc.listRelationshipRequests)
  list(@Payload() { limit, cursor }: PageRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListRelationshipRequestsQuery(caller, limit ?? 50, cursor));
  }

  @MessagePattern(AccountsRpc.acceptRelationshipRequest)
  accept(@Payload() { token }: InvitationTokenPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new DecideRelationshipRequestCommand(caller, token, true));
  }

  @MessagePattern(AccountsRpc.declineRelationshipRequest)
  decline(@Payload() { token }: InvitationTokenPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new DecideRelationshipRequestCommand(caller, token, false));
  }

  @MessagePattern(AccountsRpc.cancelRelationshipRequest)
  cancel(@Payload() { id }: RelationshipRequestIdPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new CancelRelationshipRequestCommand(caller, id));
  }

  @MessagePattern(AccountsRpc.mintRelationshipRequestLink)
  mint(@Payload() { requestId }: MintRelationshipRequestLinkPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new MintRelationshipRequestLinkCommand(caller, requestId));
  }
}
