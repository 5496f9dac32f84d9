import { Query } from '@nestjs/cqrs';
import type { Caller, LicenseResponse, ListLicensesRequest, Page } from '@clientele/contracts';

export class ListLicensesQuery extends Query<Page<LicenseResponse>> {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
    readonly filter: ListLicensesRequest,
  ) {
    super();
  }
}
