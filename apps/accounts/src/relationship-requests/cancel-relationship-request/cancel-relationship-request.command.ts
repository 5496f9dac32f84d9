import { Command } from '@nestjs/cqrs';
import type { Caller } from '@clientele/contracts';

export class CancelRelationshipRequestCommand extends Command<null> {
  constructor(readonly caller: Caller, readonly requestId: string) {
    super();
  }
}
