import { Command, Query } from '@nestjs/cqrs';
import type { ApiKeyPrincipal, ApiKeyResponse, Caller, CreatedApiKeyResponse, ListApiKeysRequest, Page } from '@clientele/contracts';

export class CreateApiKeyCommand extends Command<CreatedApiKeyResponse> {
  constructor(readonly caller: Caller, readonly name: string) {
    super();
  }
}

export class ListApiKeysQuery extends Query<Page<ApiKeyResponse>> {
  constructor(readonly caller: Caller, readonly filter: ListApiKeysRequest) {
    super();
  }
}

export class RevokeApiKeyCommand extends Command<void> {
  constructor(readonly caller: Caller, readonly keyId: string) {
    super();
  }
}

/** A command, not a query: a successful check records when the key was last used. */
export class AuthenticateApiKeyCommand extends Command<ApiKeyPrincipal> {
  constructor(readonly prefix: string, readonly keyHash: string) {
    super();
  }
}
