import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * How often the event loop's delay is sampled for `nodejs_eventloop_lag_*`, in ms. prom-client's 10 ms default
 * is a timer waking the process a hundred times a second: a service with nothing to do ran 102–108 turns of
 * its event loop a second and spent some 2–3 ms of CPU a second on them. At 100 ms an idle service wakes some 17–20
 * times a second; a stall still shows in the lag (the sample due during it comes late by as much). ADR 15.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/** One registry per process, with Node's default metrics and the service label. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
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
