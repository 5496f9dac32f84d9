import { Command } from '@nestjs/cqrs';
import type { Caller } from '@clientele/contracts';

export class RevokeApiKeyCommand extends Command<void> {
  constructor(readonly caller: Caller, readonly keyId: string) {
    super();
  }
}
