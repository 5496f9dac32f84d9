import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { IsDuration, IsReadableFileOrEmpty } from './load-config';
import { parseDuration } from './duration';

const NATS_URLS = /^(nats|tls|ws|wss):\/\/[^\s,]+(,(nats|tls|ws|wss):\/\/[^\s,]+)*$/;
const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

/** Settings every service reads. */
export class CommonConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL = 'info';

  @Matches(NATS_URLS, { message: 'must be one or more nats:// URLs, comma-separated' })
  NATS_URL = 'nats://127.0.0.1:4222';

  @IsString()
  NATS_USER = '';

  @IsString()
  NATS_PASSWORD = '';

  /** A NATS credentials file (user JWT and seed), instead of NATS_USER and NATS_PASSWORD. */
  @IsReadableFileOrEmpty()
  NATS_CREDS = '';

  /** Put in front of every NATS subject and stream name: isolates test runs. */
  @Matches(/^[a-z0-9_-]*$/, { message: 'must be lowercase letters, digits, _ or -' })
  NATS_PREFIX = '';

  /** Replicas of the ACCOUNTS stream and of the services' other JetStream state (1 on a single server, 3 on a three-node cluster). */
  @Type(() => Number) @IsInt() @IsIn([1, 3, 5], { message: 'must be 1, 3 or 5' })
  EVENTS_REPLICAS = 1;

  @IsDuration()
  REQUEST_TIMEOUT = '5s';

  @IsDuration()
  SHUTDOWN_GRACE = '10s';

  /** `t1` → every subject under `t1.`; empty → none. */
  get subjectPrefix(): string {
    return this.NATS_PREFIX ? `${this.NATS_PREFIX}.` : '';
  }

  /** `ACCOUNTS` → `T1_ACCOUNTS` under a prefix (stream names allow no dots). */
  streamName(base: string): string {
    return this.NATS_PREFIX ? `${this.NATS_PREFIX.replace(/-/g, '_').toUpperCase()}_${base}` : base;
  }

  get natsServers(): string[] {
    return this.NATS_URL.split(',');
  }

  /** How `service` connects: its servers, and a user and password or a credentials file. */
  natsConnection(service: string) {
    return { servers: this.natsServers, name: service, user: this.NATS_USER, pass: this.NATS_PASSWORD, credsFile: this.NATS_CREDS };
  }

  get requestTimeoutMs(): number {
    return parseDuration(this.REQUEST_TIMEOUT)!;
  }

  get shutdownGraceMs(): number {
    return parseDuration(this.SHUTDOWN_GRACE)!;
  }

  get production(): boolean {
    return this.NODE_ENV === 'production';
  }
}

/** Settings of a service that owns a database schema and serves /health and /metrics over HTTP. */
export class ServiceConfig extends CommonConfig {
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// URL' })
  DATABASE_URL = '';

  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  HTTP_PORT = 0;

  @Type(() => Number) @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_MAX = 10;
}
