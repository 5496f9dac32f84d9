import { Command } from '@nestjs/cqrs';
import type { Caller, LicenseResponse, UpdateLicenseRequest } from '@clientele/contracts';

export class ChangeLicenseCommand extends Command<LicenseResponse> {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
    readonly licenseId: string,
    readonly patch: UpdateLicenseRequest,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
