import type { AddressInfo } from 'node:net';
import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { EntityManager, MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { EVENTS_STREAM, EVENTS_SUBJECT_ROOT, QueueGroups } from '@clientele/contracts';
import { NatsTransport, connectNats, ensureStream } from '@clientele/messaging';
import { createMetricsRegistry, rpcMetrics } from '@clientele/observability';
import { NotificationsConfig } from './config';
import { EmailSender } from './emails/email-sender';
import { EventInbox } from './inbox/event-inbox';
import { NotificationsModule } from './notifications.module';
import { registerQueueMetrics } from './ops/queue-metrics';
import { ExpirySweep } from './sweeps/expiry-sweep';

export interface RunningNotifications {
  app: NestFastifyApplication;
  httpPort: number;
  stream: string;
  close(): Promise<void>;
}

/** Builds and starts notifications: the durable event consumer, NATS handlers, ops HTTP. */
export async function startNotifications(config: NotificationsConfig, logger: LoggerService): Promise<RunningNotifications> {
  const nats = await connectNats(
    config.natsConnection('notifications'),
    (line) => logger.warn(line),
  );
  const registry = createMetricsRegistry('notifications');
  const app = await NestFactory.create<NestFastifyApplication>(
    NotificationsModule.forRoot({ config, nats, registry }),
    new FastifyAdapter(),
    { logger },
  );
  const orm = app.get(MikroORM);
  const inbox = app.get(EventInbox);
  const stream = config.streamName(EVENTS_STREAM);
  const subjectRoot = `${config.subjectPrefix}${EVENTS_SUBJECT_ROOT}`;
  // The stream may not exist yet if accounts never ran: create it as accounts would, never change it.
  await ensureStream(
    await nats.jetstreamManager(),
    { name: stream, subjects: [`${subjectRoot}.>`], duplicateWindowMs: 120_000, replicas: config.EVENTS_REPLICAS },
    'subscriber',
  );
  const transport = new NatsTransport({
    connection: nats,
    queue: QueueGroups.notifications,
    prefix: config.subjectPrefix,
    unitOfWork: (work) => RequestContext.create(orm.em, work),
    logAnswers: config.LOG_LEVEL === 'debug',
    metrics: rpcMetrics(registry),
    eventBatch: (events, work) => inbox.batch(events, work),
    events: {
      stream,
      durable: 'notifications',
      filterSubject: `${subjectRoot}.>`,
      ackWaitMs: config.ackWaitMs,
      retryDelayMs: config.retryDelayMs,
      batchSize: config.EVENT_BATCH_SIZE,
    },
  });
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  registerQueueMetrics(registry, { em: app.get(EntityManager), nats, stream, durable: 'notifications' });
  const sender = app.get(EmailSender);
  const sweep = app.get(ExpirySweep);
  sender.start();
  sweep.start();
  await app.listen(config.HTTP_PORT, '0.0.0.0');
  return {
    app,
    stream,
    httpPort: (app.getHttpServer().address() as AddressInfo).port,
    async close() {
      await transport.close(); // stop pulling; finish and ack what is in hand
      await Promise.all([sender.stop(), sweep.stop()]); // let the passes in progress finish
      await app.close();
      await nats.drain();
    },
  };
}
