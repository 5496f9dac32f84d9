import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PlansModule } from '../plans/plans.module';
import { AssignLicenseHandler } from './assign-license/assign-license.handler';
import { ChangeLicenseHandler } from './change-license/change-license.handler';
import { EndLicenseHandler } from './end-license/end-license.handler';
import { LicenseReadModel } from './license.read-model';
import { LicensesController } from './licenses.controller';
import { ListLicensesHandler } from './list-licenses/list-licenses.handler';

const commandHandlers = [AssignLicenseHandler, ChangeLicenseHandler, EndLicenseHandler];
const queryHandlers = [ListLicensesHandler];

@Module({
  imports: [ClientsModule, PlansModule, OutboxModule],
  controllers: [LicensesController],
  providers: [...commandHandlers, ...queryHandlers, LicenseReadModel],
})
export class LicensesModule {}
