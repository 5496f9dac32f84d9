import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { QueueGroups } from '@clientele/contracts';
import { exitOnConfigError, loadConfig } from '@clientele/config';
import { NatsTransport, connectNats } from '@clientele/messaging';
import { JsonLogger, createMetricsRegistry, onShutdownSignals, rpcMetrics } from '@clientele/observability';
import { AccountsModule } from './accounts.module';
import { AccountsConfig } from './config';
import { OutboxRelay } from './outbox/outbox.relay';

async function bootstrap(): Promise<void> {
  const config = loadConfig(AccountsConfig, process.env);
  const logger = new JsonLogger('accounts', config.LOG_LEVEL);
  const nats = await connectNats(
    { servers: config.natsServers, name: 'accounts', user: config.NATS_USER, pass: config.NATS_PASSWORD },
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
    metrics: rpcMetrics(registry),
  });
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  const relay = app.get(OutboxRelay);
  await relay.start();
  await app.listen(config.HTTP_PORT, '0.0.0.0');
  logger.log({ msg: 'accounts ready', httpPort: (app.getHttpServer().address() as AddressInfo).port, natsPrefix: config.NATS_PREFIX });

  onShutdownSignals(logger, config.shutdownGraceMs, async () => {
    await transport.close(); // no new requests; in-flight ones finish
    await relay.stop(); // last publication of what was committed
    await app.close(); // database pool
    await nats.drain();
  });
}

bootstrap().catch(exitOnConfigError).catch((error: Error) => {
  process.stderr.write(`accounts failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
