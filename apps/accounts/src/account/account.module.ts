import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { AccountController } from './account.controller';
import { GetOwnAccountHandler } from './get-own-account/get-own-account.handler';
import { UpdateOwnAccountHandler } from './update-own-account/update-own-account.handler';

const commandHandlers = [UpdateOwnAccountHandler];
const queryHandlers = [GetOwnAccountHandler];

@Module({
  imports: [ClientsModule],
  controllers: [AccountController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class AccountModule {}
