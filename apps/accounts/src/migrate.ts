import { MikroORM } from '@mikro-orm/postgresql';
import { accountsOrmConfig } from './database/orm.config';

/** Applies the accounts schema's pending migrations; returns their names. */
export async function migrateAccounts(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(accountsOrmConfig(databaseUrl, 2));
  try {
    const done = await orm.getMigrator().up();
    return done.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
