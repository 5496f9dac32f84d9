import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MikroORM } from '@mikro-orm/postgresql';
import type { NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import { EVENTS_STREAM, EVENTS_SUBJECT_ROOT } from '@clientele/contracts';
import { ContractValidationPipe, PassThroughRpcFilter, natsReady } from '@clientele/messaging';
import { METRICS_REGISTRY, OpsModule } from '@clientele/observability';
import { AccountModule } from './account/account.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { InvitationsModule } from './invitations/invitations.module';
import { LicensesModule } from './licenses/licenses.module';
import { PasswordsModule } from './passwords/passwords.module';
import { RelationshipRequestsModule } from './relationship-requests/relationship-requests.module';
import { PlansModule } from './plans/plans.module';
import { ClientsModule } from './clients/clients.module';
import { ClientImportsModule } from './client-imports/client-imports.module';
import { AccountsConfig } from './config';
import { accountsOrmConfig } from './database/orm.config';
import { EventsSettings } from './outbox/events.settings';
import { OutboxSettings } from './outbox/outbox.settings';
import { PartnersModule } from './partners/partners.module';
import { NATS_CONNECTION } from './shared/tokens';

export interface AccountsRuntime {
  config: AccountsConfig;
  nats: NatsConnection;
  registry: Registry;
}

/** What every part of the service may inject: config, the NATS connection, event settings. */
@Global()
@Module({})
class AccountsCoreModule {
  static register({ config, nats, registry }: AccountsRuntime): DynamicModule {
    return {
      module: AccountsCoreModule,
      providers: [
        { provide: AccountsConfig, useValue: config },
        { provide: NATS_CONNECTION, useValue: nats },
        { provide: METRICS_REGISTRY, useValue: registry },
        {
          provide: EventsSettings,
          useValue: new EventsSettings(
            config.streamName(EVENTS_STREAM),
            `${config.subjectPrefix}${EVENTS_SUBJECT_ROOT}`,
            config.duplicateWindowMs,
            Math.min(config.requestTimeoutMs, 5_000),
            config.EVENTS_REPLICAS,
          ),
        },
        { provide: OutboxSettings, useValue: new OutboxSettings(config.outboxPollMs, config.outboxRetentionMs) },
      ],
      exports: [AccountsConfig, NATS_CONNECTION, METRICS_REGISTRY, EventsSettings, OutboxSettings],
    };
  }
}

@Module({})
export class AccountsModule {
  static forRoot(runtime: AccountsRuntime): DynamicModule {
    return {
      module: AccountsModule,
      imports: [
        AccountsCoreModule.register(runtime),
        CqrsModule.forRoot(),
        MikroOrmModule.forRoot(accountsOrmConfig(runtime.config.DATABASE_URL, runtime.config.DATABASE_POOL_MAX)),
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
        IdempotencyModule,
        ClientsModule,
        PartnersModule,
        AuthModule,
        AccountModule,
        PlansModule,
        LicensesModule,
        InvitationsModule,
        PasswordsModule,
        RelationshipRequestsModule,
        ApiKeysModule,
        ClientImportsModule,
        AuditModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: PassThroughRpcFilter },
        { provide: APP_PIPE, useClass: ContractValidationPipe },
      ],
    };
  }
}
