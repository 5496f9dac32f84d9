import type { AddressInfo } from 'node:net';
import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { QueueGroups } from '@clientele/contracts';
import { NatsTransport, connectNats } from '@clientele/messaging';
import { createMetricsRegistry, rpcMetrics } from '@clientele/observability';
import { AccountsModule } from './accounts.module';
import { ClientImportWorker } from './client-imports/client-import-worker';
import { AccountsConfig } from './config';
import { OutboxRelay } from './outbox/outbox.relay';

export interface RunningAccounts {
  app: NestFastifyApplication;
  relay: OutboxRelay;
  httpPort: number;
  /** Drains requests, flushes the outbox, closes the database and NATS. */
  close(): Promise<void>;
}

/** Builds and starts the accounts service: NATS handlers, outbox relay, ops HTTP. */
export async function startAccounts(config: AccountsConfig, logger: LoggerService): Promise<RunningAccounts> {
  const nats = await connectNats(
    config.natsConnection('accounts'),
    (line) => logger.warn(line),
  );
  const registry = createMetricsRegistry('accounts');
  const app = await NestFactory.create<NestFastifyApplication>(
    AccountsModule.forRoot({ config, nats, registry }),
    new FastifyAdapter(),
    { logger },
  );
  const orm = app.get(MikroORM);
  const transport = new NatsTransport({
    connection: nats,
    queue: QueueGroups.accounts,
    prefix: config.subjectPrefix,
    unitOfWork: (work) => RequestContext.create(orm.em, work),
    logAnswers: config.LOG_LEVEL === 'debug',
    metrics: rpcMetrics(registry),
  });
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  const relay = app.get(OutboxRelay);
  await relay.start();
  const imports = app.get(ClientImportWorker);
  imports.start();
  await app.listen(config.HTTP_PORT, '0.0.0.0');
  return {
    app,
    relay,
    httpPort: (app.getHttpServer().address() as AddressInfo).port,
    async close() {
      await transport.close(); // no new requests; in-flight ones finish
      await imports.stop(); // the rows in hand finish; their imports go to another replica
      await relay.stop(); // last publication of what was committed
      await app.close(); // database pool
      await nats.drain();
    },
  };
}
