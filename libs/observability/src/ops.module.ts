import { Controller, DynamicModule, Get, Header, HttpCode, Inject, InjectionToken, Module, Res, SetMetadata } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';

/** A readiness check: resolves when the dependency answers, rejects otherwise. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** Route metadata: no credentials needed (the gateway's guard honours it). */
export const PUBLIC_ROUTE = 'clientele:public';
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

const CHECK_TIMEOUT_MS = 2_000;

@ApiExcludeController()
@PublicRoute()
@Controller()
class OpsController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  @Get('health/live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res() reply: FastifyReply) {
    const results = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message || 'down'] as const;
        }
      }),
    );
    const ok = results.every(([, status]) => status === 'ok');
    reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(results) });
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() reply: FastifyReply) {
    reply.header('Content-Type', this.registry.contentType).send(await this.registry.metrics());
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e) => { clearTimeout(timer); reject(e); },
    );
  });
}

/**
 * `/health/live`, `/health/ready` and `/metrics`. The app provides
 * READINESS_CHECKS (an array) and METRICS_REGISTRY.
 */
@Module({})
export class OpsModule {
  static register(options: {
    registry: Registry;
    checks: { useFactory: (...deps: any[]) => ReadinessCheck[]; inject?: InjectionToken[] };
  }): DynamicModule {
    return {
      module: OpsModule,
      controllers: [OpsController],
      providers: [
        { provide: METRICS_REGISTRY, useValue: options.registry },
        { provide: READINESS_CHECKS, useFactory: options.checks.useFactory, inject: options.checks.inject ?? [] },
      ],
      exports: [METRICS_REGISTRY],
    };
  }
}
