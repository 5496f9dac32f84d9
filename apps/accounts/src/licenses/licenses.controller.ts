import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountsRpc,
  AssignLicensePayload,
  LicenseIdPayload,
  ListLicensesPayload,
  UpdateLicensePayload,
  type Caller,
} from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { AssignLicenseCommand } from './assign-license/assign-license.command';
import { ChangeLicenseCommand } from './change-license/change-license.command';
import { EndLicenseCommand } from './end-license/end-license.command';
import { ListLicensesQuery } from './list-licenses/list-licenses.query';

@Controller()
export class LicensesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(AccountsRpc.listLicenses)
  list(@Payload() { clientId, ...filter }: ListLicensesPayload, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListLicensesQuery(caller, clientId, filter));
  }

  @MessagePattern(AccountsRpc.assignLicense)
  @Idempotent()
  assign(@Payload() { clientId, planId, units, startDate }: AssignLicensePayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new AssignLicenseCommand(caller, clientId, { planId, units, startDate }));
  }

  @MessagePattern(AccountsRpc.updateLicense)
  update(@Payload() { clientId, licenseId, patch, expectedVersion }: UpdateLicensePayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new ChangeLicenseCommand(caller, clientId, licenseId, patch, expectedVersion));
  }

  @MessagePattern(AccountsRpc.endLicense)
  end(@Payload() { clientId, licenseId }: LicenseIdPayload, @CallerParam() caller: Caller) {
    return this.commands.execute(new EndLicenseCommand(caller, clientId, licenseId));
  }
}
