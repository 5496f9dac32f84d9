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
      const nc = await connect({
        servers: settings.servers,
        name: settings.name,
        user: settings.user || undefined,
        pass: settings.pass || undefined,
        authenticator: settings.credsFile ? credsAuthenticator(readFileSync(settings.credsFile)) : undefined,
        inboxPrefix: `_INBOX_${settings.name}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        reconnectJitter: 250,
        // No stack captured on every request for a timeout that rarely happens: a measurable share of each call.
        noAsyncTraces: true,
        pingInterval: 10_000,
      });
      watchConnection(nc, log);
      inboxPrefixes.set(nc, `_INBOX_${settings.name}`);
      return nc;
    } catch (error) {
      attempt += 1;
      log(`NATS at ${settings.servers.join(',')} not reachable (${(error as Error).message}); retrying (attempt ${attempt})`);
      await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * attempt)));
    }
  }
}

const inboxPrefixes = new WeakMap<NatsConnection, string>();

/** The prefix of the connection's reply subjects (`_INBOX` for a connection made elsewhere). */
export function inboxPrefixOf(nc: NatsConnection): string {
  return inboxPrefixes.get(nc) ?? '_INBOX';
}

/** Connections known to be between servers: the client is trying to reconnect. */
const away = new WeakSet<NatsConnection>();

/** Follows the connection's state, so that callers can answer at once instead of waiting out a timeout. */
function watchConnection(nc: NatsConnection, log: (line: string) => void): void {
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        away.add(nc);
        log(`NATS connection lost (${String(status.data)}); reconnecting`);
      } else if (status.type === 'reconnect') {
        away.delete(nc);
        log(`NATS connection back (${String(status.data)})`);
      }
    }
  })();
}

/** False while the connection is lost and being re-established, or closed. */
export function natsConnected(nc: NatsConnection): boolean {
  return !nc.isClosed() && !away.has(nc);
}

/** Readiness: connected, and a round trip to the server. */
export async function natsReady(nc: NatsConnection): Promise<void> {
  if (nc.isClosed()) throw new Error('connection closed');
  if (away.has(nc)) throw new Error('connection lost; reconnecting');
  await nc.flush();
}
