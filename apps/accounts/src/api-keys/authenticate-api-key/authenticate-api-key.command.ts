import { Command } from '@nestjs/cqrs';
import type { ApiKeyPrincipal } from '@clientele/contracts';

/** A command, not a query: a successful check records when the key was last used. */
export class AuthenticateApiKeyCommand extends Command<ApiKeyPrincipal> {
  constructor(readonly prefix: string, readonly keyHash: string) {
    super();
  }
}
