import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per process, with Node's default metrics and the service label. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function rpcMetrics(registry: Registry) {
  return {
    duration: new Histogram({
      name: 'clientele_rpc_handler_seconds',
      help: 'Time to handle one NATS request, by subject and outcome',
      labelNames: ['subject', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    events: new Counter({
      name: 'clientele_events_handled_total',
      help: 'JetStream events handled, by type and outcome',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
  };
}
export type RpcMetrics = ReturnType<typeof rpcMetrics>;

/**
 * For gauges read at scrape time from one source (a query, say): a scrape
 * reads every gauge at once, and they share one refresh. Pass the result as
 * each gauge's `collect`. A failed refresh leaves the last values.
 */
export function sharedCollect(refresh: () => Promise<void>): () => Promise<void> {
  let refreshing: Promise<void> | undefined;
  return () => (refreshing ??= refresh().catch(() => undefined).finally(() => (refreshing = undefined)));
}
