import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { Account } from '../domain/account.entity';
import { Invitation } from '../domain/invitation.entity';
import { License } from '../domain/license.entity';
import { PasswordReset } from '../domain/password-reset.entity';
import { Relationship } from '../domain/relationship.entity';
import { RelationshipRequest } from '../domain/relationship-request.entity';
import { ServicePlan } from '../domain/service-plan.entity';
import { User } from '../domain/user.entity';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { Migration20261122000000 } from '../migrations/Migration20261122000000';
import { Migration20261122000100 } from '../migrations/Migration20261122000100';
import { Migration20261129000000 } from '../migrations/Migration20261129000000';
import { Migration20261202100000 } from '../migrations/Migration20261202100000';
import { Migration20261202110000 } from '../migrations/Migration20261202110000';
import { Migration20261202120000 } from '../migrations/Migration20261202120000';
import { Migration20261203100000 } from '../migrations/Migration20261203100000';
import { Migration20261204100000 } from '../migrations/Migration20261204100000';

export const ACCOUNTS_SCHEMA = 'accounts';

/** The accounts service's ORM settings: its own schema, entities and migrations. */
export function accountsOrmConfig(databaseUrl: string, poolMax = 10) {
  return defineConfig({
    clientUrl: databaseUrl,
    schema: ACCOUNTS_SCHEMA,
    entities: [Account, Relationship, RelationshipRequest, User, Invitation, PasswordReset, ServicePlan, License, OutboxMessage, AuditEvent],
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      silent: true,
      migrationsList: [
        { name: 'Migration20261122000000', class: Migration20261122000000 },
        { name: 'Migration20261122000100', class: Migration20261122000100 },
        { name: 'Migration20261129000000', class: Migration20261129000000 },
        { name: 'Migration20261202100000', class: Migration20261202100000 },
        { name: 'Migration20261202110000', class: Migration20261202110000 },
        { name: 'Migration20261202120000', class: Migration20261202120000 },
        { name: 'Migration20261203100000', class: Migration20261203100000 },
        { name: 'Migration20261204100000', class: Migration20261204100000 },
      ],
    },
    pool: { min: 0, max: poolMax },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    ignoreUndefinedInQuery: true,
    discovery: { warnWhenNoEntities: true },
    debug: false,
  });
}
