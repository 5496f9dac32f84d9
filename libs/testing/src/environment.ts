/** Where the tests find PostgreSQL and NATS: the machine's own by default. */
export const testEnvironment = {
  /** A database the tests may connect to in order to create and drop their own. */
  adminDatabaseUrl: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
};

export function randomSuffix(bytes = 5): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
