import { Command } from '@nestjs/cqrs';
import type { Caller, RelationshipRequestResponse } from '@clientele/contracts';

export class DecideRelationshipRequestCommand extends Command<RelationshipRequestResponse> {
  constructor(readonly caller: Caller, readonly token: string, readonly accept: boolean) {
    super();
  }
}
