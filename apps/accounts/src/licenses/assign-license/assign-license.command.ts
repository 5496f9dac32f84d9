import { Command } from '@nestjs/cqrs';
import type { AssignLicenseRequest, Caller, LicenseResponse } from '@clientele/contracts';

export class AssignLicenseCommand extends Command<LicenseResponse> {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
    readonly terms: AssignLicenseRequest,
  ) {
    super();
  }
}
