import { Command } from '@nestjs/cqrs';
import type { Caller, RelationshipRequestResponse } from '@clientele/contracts';

export class CreateRelationshipRequestCommand extends Command<RelationshipRequestResponse> {
  constructor(readonly caller: Caller, readonly email: string, readonly message?: string) {
    super();
  }
}
