import type { EntityManager } from '@mikro-orm/postgresql';
import type { NatsConnection } from 'nats';
import { Gauge, type Registry } from 'prom-client';
import { sharedCollect } from '@clientele/observability';

interface Backlog {
  due: number;
  sending: number;
  oldest_due_seconds: number | null;
  sweep_lag_seconds: number | null;
}

/**
 * What an operator watches on notifications, read when Prometheus scrapes
 * (one query on partial indexes, one JetStream consumer info): the e-mail
 * queue, the sweep's lag behind its deadlines, and the event consumer's
 * backlog and redeliveries. A failed read leaves the last values.
 */
export function registerQueueMetrics(
  registry: Registry,
  source: { em: EntityManager; nats: NatsConnection; stream: string; durable: string },
): void {
  const collect = sharedCollect(refresh);
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry], collect });
  const emails = gauge('clientele_email_queue', 'E-mails due and not yet sent, by state (queued: waiting for a sender; sending: claimed)', ['state']);
  const oldest = gauge('clientele_email_oldest_due_seconds', 'How long the longest-waiting due e-mail has waited');
  const sweepLag = gauge('clientele_sweep_lag_seconds', 'How far the expiry sweep is behind its oldest due deadline (0 when none is due)');
  const pending = gauge('clientele_events_pending', 'Events on the stream the notifications consumer has not been offered yet');
  const ackPending = gauge('clientele_events_ack_pending', 'Events offered to notifications and not yet acknowledged');
  const redelivered = gauge('clientele_events_redelivered', 'Events offered more than once and still unacknowledged');

  async function refresh(): Promise<void> {
    const [backlog] = await source.em.fork().execute<Backlog[]>(`
      select (select count(*) from notifications.email where status = 'queued' and send_at <= now())::int as due,
             (select count(*) from notifications.email where status = 'sending' and send_at <= now())::int as sending,
             (select extract(epoch from now() - min(send_at)) from notifications.email
               where status in ('queued', 'sending') and send_at <= now())::float as oldest_due_seconds,
             (select extract(epoch from now() - min(due_at)) from notifications.deadline
               where done_at is null and due_at <= now())::float as sweep_lag_seconds`);
    emails.set({ state: 'queued' }, backlog.due);
    emails.set({ state: 'sending' }, backlog.sending);
    oldest.set(backlog.oldest_due_seconds ?? 0);
    sweepLag.set(backlog.sweep_lag_seconds ?? 0);
    const info = await (await source.nats.jetstreamManager()).consumers.info(source.stream, source.durable);
    pending.set(info.num_pending);
    ackPending.set(info.num_ack_pending);
    redelivered.set(info.num_redelivered);
  }
}
