import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { OutboxModule } from '../outbox/outbox.module';
import { AccountController } from './account.controller';
import { GetClientFormHandler } from './get-client-form/get-client-form.handler';
import { GetOwnAccountHandler } from './get-own-account/get-own-account.handler';
import { UpdateClientFormHandler } from './update-client-form/update-client-form.handler';
import { UpdateOwnAccountHandler } from './update-own-account/update-own-account.handler';

const commandHandlers = [UpdateOwnAccountHandler, UpdateClientFormHandler];
const queryHandlers = [GetOwnAccountHandler, GetClientFormHandler];

@Module({
  imports: [ClientsModule, OutboxModule],
  controllers: [AccountController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class AccountModule {}
