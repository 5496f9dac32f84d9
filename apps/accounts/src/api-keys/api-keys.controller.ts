import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountsRpc,
  ApiKeyIdPayload,
  AuthenticateApiKeyPayload,
  CreateApiKeyRequest,
  ListApiKeysRequest,
  type Caller,
} from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { AuthenticateApiKeyCommand } from './authenticate-api-key/authenticate-api-key.command';
import { CreateApiKeyCommand } from './create-api-key/create-api-key.command';
import { ListApiKeysQuery } from './list-api-keys/list-api-keys.query';
import { RevokeApiKeyCommand } from './revoke-api-key/revoke-api-key.command';

@Controller()
export class ApiKeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Not replayed by Idempotency-Key: a replay would have to store the key. */
  @MessagePattern(AccountsRpc.createApiKey)
  create(@Payload() { name }: CreateApiKeyRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new CreateApiKeyCommand(caller, name));
  }

  @MessagePattern(AccountsRpc.listApiKeys)
  list(@Payload() filter: ListApiKeysRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListApiKeysQuery(caller, filter));
  }

  @MessagePattern(AccountsRpc.revokeApiKey)
  revoke(@Payload() { id }: ApiKeyIdPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new RevokeApiKeyCommand(caller, id));
  }

  @MessagePattern(AccountsRpc.authenticateApiKey)
  authenticate(@Payload() { prefix, keyHash }: AuthenticateApiKeyPayload) {
    return this.commands.execute(new AuthenticateApiKeyCommand(prefix, keyHash));
  }
}
