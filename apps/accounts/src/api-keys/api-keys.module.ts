import { Module } from '@nestjs/common';
import { ClientAccess } from '../access/client-access';
import { ApiKeysController } from './api-keys.controller';
import { AuthenticateApiKeyHandler } from './authenticate-api-key.handler';
import { CreateApiKeyHandler } from './create-api-key.handler';
import { ListApiKeysHandler } from './list-api-keys.handler';
import { RevokeApiKeyHandler } from './revoke-api-key.handler';

@Module({
  controllers: [ApiKeysController],
  providers: [CreateApiKeyHandler, ListApiKeysHandler, RevokeApiKeyHandler, AuthenticateApiKeyHandler, ClientAccess],
})
export class ApiKeysModule {}
