import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, NatsConnection } from 'nats';

export interface NatsConnectionSettings {
  servers: string[];
  name: string;
  user?: string;
  pass?: string;
  /** A credentials file (user JWT and seed). */
  credsFile?: string;
}

/**
 * Replies come back on an inbox prefix of the service's own
 * (`_INBOX_<name>`), so NATS permissions can keep each service to its own
 * answers. Connects, waiting for the server at boot and reconnecting forever after.
 * A missing server is logged once per attempt by the caller's logger.
 */
export async function connectNats(settings: NatsConnectionSettings, log: (line: string) => void): Promise<NatsConnection> {
  let attempt = 0;
  for (;;) {
    try {
      return await connect({
        servers: settings.servers,
        name: settings.name,
        user: settings.user || undefined,
        pass: settings.pass || undefined,
        authenticator: settings.credsFile ? credsAuthenticator(readFileSync(settings.credsFile)) : undefined,
        inboxPrefix: `_INBOX_${settings.name}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        pingInterval: 10_000,
      });
    } catch (error) {
      attempt += 1;
      log(`NATS at ${settings.servers.join(',')} not reachable (${(error as Error).message}); retrying (attempt ${attempt})`);
      await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * attempt)));
    }
  }
}

/** Readiness: a round trip to the server. */
export async function natsReady(nc: NatsConnection): Promise<void> {
  if (nc.isClosed()) throw new Error('connection closed');
  await nc.flush();
}
