import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MikroORM } from '@mikro-orm/postgresql';
import type { NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import { ContractValidationPipe, PassThroughRpcFilter, natsReady } from '@clientele/messaging';
import { OpsModule } from '@clientele/observability';
import { ClientEventsController } from './clients/client-events.controller';
import { NotificationsConfig } from './config';
import { notificationsOrmConfig } from './database/orm.config';
import { EventInbox } from './inbox/event-inbox';

export interface NotificationsRuntime {
  config: NotificationsConfig;
  nats: NatsConnection;
  registry: Registry;
}

@Module({})
export class NotificationsModule {
  static forRoot(runtime: NotificationsRuntime): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        MikroOrmModule.forRoot(notificationsOrmConfig(runtime.config.DATABASE_URL, runtime.config.DATABASE_POOL_MAX)),
        OpsModule.register({
          registry: runtime.registry,
          checks: {
            inject: [MikroORM],
            useFactory: (orm: MikroORM) => [
              { name: 'nats', check: () => natsReady(runtime.nats) },
              { name: 'database', check: async () => void (await orm.em.fork().execute('select 1')) },
            ],
          },
        }),
      ],
      controllers: [ClientEventsController],
      providers: [
        { provide: NotificationsConfig, useValue: runtime.config },
        EventInbox,
        { provide: APP_FILTER, useClass: PassThroughRpcFilter },
        { provide: APP_PIPE, useClass: ContractValidationPipe },
      ],
    };
  }
}
