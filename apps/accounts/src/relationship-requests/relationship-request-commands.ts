import { Command, Query } from '@nestjs/cqrs';
import type {
  Caller,
  MintedRelationshipRequestLink,
  Page,
  RelationshipRequestResponse,
} from '@clientele/contracts';

export class CreateRelationshipRequestCommand extends Command<RelationshipRequestResponse> {
  constructor(readonly caller: Caller, readonly email: string, readonly message?: string) {
    super();
  }
}

export class ListRelationshipRequestsQuery extends Query<Page<RelationshipRequestResponse>> {
  constructor(readonly caller: Caller, readonly limit: number, readonly cursor?: string) {
    super();
  }
}

export class DecideRelationshipRequestCommand extends Command<RelationshipRequestResponse> {
  constructor(readonly caller: Caller, readonly token: string, readonly accept: boolean) {
    super();
  }
}

export class CancelRelationshipRequestCommand extends Command<null> {
  constructor(readonly caller: Caller, readonly requestId: string) {
    super();
  }
}

export class MintRelationshipRequestLinkCommand extends Command<MintedRelationshipRequestLink> {
  constructor(readonly caller: Caller, readonly requestId: string) {
    super();
  }
}
