import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import { GatewayLimitsSubject } from '@clientele/contracts';
import { ContractValidationPipe, RpcClient, natsReady } from '@clientele/messaging';
import { OpsModule } from '@clientele/observability';
import { AccountController } from './account/account.controller';
import { AuthController } from './auth/auth.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuditEventsController } from './audit/audit-events.controller';
import { AuditExport } from './audit/audit-export';
import { AuthGuard } from './auth/auth.guard';
import { Tokens } from './auth/tokens';
import { RateLimitGuard } from './limits/rate-limit.guard';
import { LocalRateCounter } from './limits/local-rate-counter';
import { RateLimiter } from './limits/rate-limiter';
import { Bus } from './bus/accounts.bus';
import { ClientExport } from './clients/client-export';
import { ClientsController } from './clients/clients.controller';
import { ClientImportsController } from './client-imports/client-imports.controller';
import { ConsoleController } from './console/console.controller';
import { GatewayConfig } from './config';
import { AsyncApiController } from './docs/asyncapi.controller';
import { ProblemDetailsFilter } from './http/problem-details';
import { InvitationPageController } from './invitations/invitation-page.controller';
import { InvitationsController } from './invitations/invitations.controller';
import { LicensesController } from './licenses/licenses.controller';
import { PartnersController } from './partners/partners.controller';
import { ServicePlansController } from './plans/service-plans.controller';
import { RelationshipRequestsController } from './relationship-requests/relationship-requests.controller';

/** Every HTTP route of the gateway is on one of these, but the files under /assets/ (http/assets.ts); the isolation matrix reads both. */
export const GATEWAY_CONTROLLERS = [
  AuthController, ApiKeysController, PartnersController, ClientsController, AccountController, ServicePlansController,
  LicensesController, InvitationsController, InvitationPageController, RelationshipRequestsController, AsyncApiController,
  AuditEventsController, ClientImportsController, ConsoleController,
];

export interface GatewayRuntime {
  config: GatewayConfig;
  nats: NatsConnection;
  registry: Registry;
}

@Module({})
export class GatewayModule {
  static forRoot({ config, nats, registry }: GatewayRuntime): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        OpsModule.register({
          registry,
          checks: { useFactory: () => [{ name: 'nats', check: () => natsReady(nats) }] },
        }),
      ],
      controllers: GATEWAY_CONTROLLERS,
      providers: [
        { provide: GatewayConfig, useValue: config },
        { provide: RpcClient, useValue: new RpcClient(nats, config.subjectPrefix, config.requestTimeoutMs) },
        Bus,
        ClientExport,
        AuditExport,
        Tokens,
        {
          provide: RateLimiter,
          useFactory: () => {
            const { auth, authPerIp, perCaller } = config.rateLimits;
            const longest = Math.max(auth.windowMs, authPerIp.windowMs, perCaller.windowMs);
            return new RateLimiter(nats, config.streamName('RATE_LIMITS'), longest, config.EVENTS_REPLICAS);
          },
        },
        { provide: LocalRateCounter, useValue: new LocalRateCounter(nats, `${config.subjectPrefix}${GatewayLimitsSubject}`) },
        // In this order: who is calling, then how often.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_PIPE, useClass: ContractValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
