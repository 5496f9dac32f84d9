import { Module } from '@nestjs/common';
import { ClientAccess } from '../access/client-access';
import { OutboxModule } from '../outbox/outbox.module';
import { ApiKeysController } from './api-keys.controller';
import { AuthenticateApiKeyHandler } from './authenticate-api-key/authenticate-api-key.handler';
import { CreateApiKeyHandler } from './create-api-key/create-api-key.handler';
import { ListApiKeysHandler } from './list-api-keys/list-api-keys.handler';
import { RevokeApiKeyHandler } from './revoke-api-key/revoke-api-key.handler';

const commandHandlers = [CreateApiKeyHandler, RevokeApiKeyHandler, AuthenticateApiKeyHandler];
const queryHandlers = [ListApiKeysHandler];

@Module({
  imports: [OutboxModule],
  controllers: [ApiKeysController],
  providers: [...commandHandlers, ...queryHandlers, ClientAccess],
})
export class ApiKeysModule {}
