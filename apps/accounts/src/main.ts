import 'reflect-metadata';
import { exitOnConfigError, loadConfig } from '@clientele/config';
import { JsonLogger, onShutdownSignals, stopTracing } from '@clientele/observability';
import { startAccounts } from './accounts.app';
import { AccountsConfig } from './config';

async function bootstrap(): Promise<void> {
  const config = loadConfig(AccountsConfig, process.env);
  const logger = new JsonLogger('accounts', config.LOG_LEVEL);
  const service = await startAccounts(config, logger);
  logger.log({ msg: 'accounts ready', httpPort: service.httpPort, natsPrefix: config.NATS_PREFIX });
  onShutdownSignals(logger, config.shutdownGraceMs, async () => {
    await service.close();
    await stopTracing(); // the spans not yet exported
  });
}

bootstrap().catch(exitOnConfigError).catch((error: Error) => {
  process.stderr.write(`accounts failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
