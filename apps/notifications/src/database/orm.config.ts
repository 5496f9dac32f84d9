import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { HandledEvent } from '../inbox/handled-event.entity';
import { Migration20261122000100 } from '../migrations/Migration20261122000100';
import { Migration20261122000200 } from '../migrations/Migration20261122000200';
import { Migration20261122000300 } from '../migrations/Migration20261122000300';
import { Migration20261129000000 } from '../migrations/Migration20261129000000';
import { Migration20261129120000 } from '../migrations/Migration20261129120000';
import { Migration20261204100000 } from '../migrations/Migration20261204100000';

export const NOTIFICATIONS_SCHEMA = 'notifications';

export function notificationsOrmConfig(databaseUrl: string, poolMax = 10) {
  return defineConfig({
    clientUrl: databaseUrl,
    schema: NOTIFICATIONS_SCHEMA,
    entities: [HandledEvent],
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      silent: true,
      migrationsList: [
        { name: 'Migration20261122000100', class: Migration20261122000100 },
        { name: 'Migration20261122000200', class: Migration20261122000200 },
        { name: 'Migration20261122000300', class: Migration20261122000300 },
        { name: 'Migration20261129000000', class: Migration20261129000000 },
        { name: 'Migration20261129120000', class: Migration20261129120000 },
        { name: 'Migration20261204100000', class: Migration20261204100000 },
      ],
    },
    pool: { min: 0, max: poolMax },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    ignoreUndefinedInQuery: true,
    debug: false,
  });
}
