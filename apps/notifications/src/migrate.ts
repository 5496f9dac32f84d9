import { MikroORM } from '@mikro-orm/postgresql';
import { notificationsOrmConfig } from './database/orm.config';

/** Applies the notifications schema's pending migrations; returns their names. */
export async function migrateNotifications(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(notificationsOrmConfig(databaseUrl, 2));
  try {
    const done = await orm.getMigrator().up();
    return done.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
