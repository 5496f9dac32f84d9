import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { exitOnConfigError, loadConfig } from '@clientele/config';
import { connectNats } from '@clientele/messaging';
import { JsonLogger, createMetricsRegistry, onShutdownSignals, sanitizeRequestId, stopTracing } from '@clientele/observability';
import { GatewayConfig } from './config';
import { GatewayModule } from './gateway.module';
import { serveAssets } from './http/assets';
import { BODY_LIMIT, setUpHttp } from './http/http-setup';
import { frameworkError } from './http/problem-details';

async function bootstrap(): Promise<void> {
  const config = loadConfig(GatewayConfig, process.env);
  const logger = new JsonLogger('gateway', config.LOG_LEVEL);
  if (!config.JWT_SECRET) {
    config.JWT_SECRET = randomBytes(48).toString('base64');
    logger.warn({ msg: 'JWT_SECRET not set: using a random key for this process (development only); tokens end with it' });
  }
  const nats = await connectNats(
    config.natsConnection('gateway'),
    (line) => logger.warn(line),
  );
  const registry = createMetricsRegistry('gateway');
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => sanitizeRequestId(request.headers['x-request-id']) ?? randomUUID(),
    trustProxy: config.trustProxy,
    frameworkErrors: frameworkError,
  });
  // bodyParser off: no form parsing, JSON only (Fastify's own parser plus merge-patch).
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot({ config, nats, registry }), adapter, {
    logger,
    bodyParser: false,
  });
  setUpHttp(app.getHttpAdapter().getInstance(), registry, logger, { corsOrigins: config.corsOrigins });
  serveAssets(app);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Clientele API')
      .setDescription(
        'Partners create and run their customers\' accounts. Errors are RFC 9457 problem details.\n\n' +
          'Every change is also published as an event on NATS JetStream: [/docs/asyncapi.json](/docs/asyncapi.json) is the AsyncAPI 3 document of them.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  await app.listen(config.PORT, '0.0.0.0');
  logger.log({ msg: 'gateway ready', port: config.PORT, publicUrl: config.publicUrl, operatorRoutes: Boolean(config.PLATFORM_ADMIN_TOKEN) });

  onShutdownSignals(logger, config.shutdownGraceMs, async () => {
    await app.close(); // stops accepting, lets in-flight requests answer
    await nats.drain();
    await stopTracing(); // the spans not yet exported
  });
}

bootstrap().catch(exitOnConfigError).catch((error: Error) => {
  process.stderr.write(`gateway failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
