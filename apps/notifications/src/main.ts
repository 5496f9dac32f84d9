import 'reflect-metadata';
import { exitOnConfigError, loadConfig } from '@clientele/config';
import { JsonLogger, onShutdownSignals, stopTracing } from '@clientele/observability';
import { NotificationsConfig } from './config';
import { startNotifications } from './notifications.app';

async function bootstrap(): Promise<void> {
  const config = loadConfig(NotificationsConfig, process.env);
  const logger = new JsonLogger('notifications', config.LOG_LEVEL);
  const service = await startNotifications(config, logger);
  logger.log({ msg: 'notifications ready', httpPort: service.httpPort, stream: service.stream });
  onShutdownSignals(logger, config.shutdownGraceMs, async () => {
    await service.close();
    await stopTracing(); // the spans not yet exported
  });
}

bootstrap().catch(exitOnConfigError).catch((error: Error) => {
  process.stderr.write(`notifications failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
