import { Command } from '@nestjs/cqrs';
import type { Caller, CreatedApiKeyResponse } from '@clientele/contracts';

export class CreateApiKeyCommand extends Command<CreatedApiKeyResponse> {
  constructor(readonly caller: Caller, readonly name: string) {
    super();
  }
}
