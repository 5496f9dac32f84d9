import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MikroORM } from '@mikro-orm/postgresql';
import type { NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import { ContractValidationPipe, PassThroughRpcFilter, RpcClient, natsReady } from '@clientele/messaging';
import { OpsModule } from '@clientele/observability';
import { ClientEventsController } from './clients/client-events.controller';
import { NotificationsConfig } from './config';
import { notificationsOrmConfig } from './database/orm.config';
import { EmailQueue } from './emails/email-queue';
import { EmailSender } from './emails/email-sender';
import { EmailsController } from './emails/emails.controller';
import { Mailer } from './emails/mailer';
import { EventInbox } from './inbox/event-inbox';
import { ExpirySweep } from './sweeps/expiry-sweep';

export interface NotificationsRuntime {
  config: NotificationsConfig;
  nats: NatsConnection;
  registry: Registry;
}

@Module({})
export class NotificationsModule {
  static forRoot(runtime: NotificationsRuntime): DynamicModule {
    const mailer = new Mailer(runtime.config);
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
              { name: 'smtp', check: () => mailer.verify() },
            ],
          },
        }),
      ],
      controllers: [ClientEventsController, EmailsController],
      providers: [
        { provide: NotificationsConfig, useValue: runtime.config },
        EventInbox,
        EmailQueue,
        EmailSender,
        ExpirySweep,
        { provide: Mailer, useValue: mailer },
        {
          provide: RpcClient,
          useValue: new RpcClient(runtime.nats, runtime.config.subjectPrefix, runtime.config.requestTimeoutMs),
        },
        { provide: APP_FILTER, useClass: PassThroughRpcFilter },
        { provide: APP_PIPE, useClass: ContractValidationPipe },
      ],
    };
  }
}
