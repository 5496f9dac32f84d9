import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { LicenseResponse, Page } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { LicenseReadModel } from '../license.read-model';
import { ListLicensesQuery } from './list-licenses.query';

/** A client's licences, for its parent and the accounts above it. */
@QueryHandler(ListLicensesQuery)
export class ListLicensesHandler implements IQueryHandler<ListLicensesQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly licenses: LicenseReadModel,
  ) {}

  async execute({ caller, clientId, filter }: ListLicensesQuery): Promise<Page<LicenseResponse>> {
    await this.access.reachOf(caller, clientId);
    return this.licenses.list(clientId, { status: filter.status ?? 'active', limit: filter.limit ?? 50, cursor: filter.cursor });
  }
}
