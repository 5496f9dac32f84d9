import { Client } from 'pg';
import { randomSuffix, testEnvironment } from './environment';

export interface TestDatabase {
  url: string;
  name: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

type Migrate = (databaseUrl: string) => Promise<unknown>;

/** A fresh database for one test file, migrated by the given services' migrations, dropped at the end. */
export async function createTestDatabase(migrations: Migrate[]): Promise<TestDatabase> {
  const name = `clientele_t_${randomSuffix()}`;
  const admin = new Client({ connectionString: testEnvironment.adminDatabaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(testEnvironment.adminDatabaseUrl, name);
  for (const migrate of migrations) await migrate(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    url,
    name,
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async drop() {
      await client.end();
      const dropper = new Client({ connectionString: testEnvironment.adminDatabaseUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
