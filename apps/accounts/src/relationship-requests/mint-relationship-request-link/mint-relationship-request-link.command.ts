import { Command } from '@nestjs/cqrs';
import type { Caller, MintedRelationshipRequestLink } from '@clientele/contracts';

export class MintRelationshipRequestLinkCommand extends Command<MintedRelationshipRequestLink> {
  constructor(readonly caller: Caller, readonly requestId: string) {
    super();
  }
}
