import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ApiKeyResponse, Page } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { decodeCursor, keysetPage } from '../../shared/cursor';
import { API_KEY_COLUMNS, apiKeyView, type ApiKeyRow } from '../api-key-view';
import { ListApiKeysQuery } from './list-api-keys.query';

/** The account's keys that still work, oldest first; never the keys themselves. */
@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, filter }: ListApiKeysQuery): Promise<Page<ApiKeyResponse>> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const limit = filter.limit ?? 50;
    const where = ['account_id = ?', 'revoked_at is null'];
    const params: unknown[] = [accountId];
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor, 'createdAt');
      where.push('(created_at, id) > (?::timestamptz, ?::uuid)');
      params.push(cursor.value, cursor.id);
    }
    const rows = await this.em.execute<(ApiKeyRow & { sort_key: string })[]>(
      `select created_at::text as sort_key, ${API_KEY_COLUMNS} from accounts.api_key where ${where.join(' and ')}
        order by created_at, id limit ${limit + 1}`,
      params,
    );
    return keysetPage(rows, limit, 'createdAt', (row) => row.id, apiKeyView);
  }
}
