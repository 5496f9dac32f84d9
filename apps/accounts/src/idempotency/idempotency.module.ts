import { Global, Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { OutboxModule } from '../outbox/outbox.module';
import { IdempotencyStore } from './idempotency.store';

@Global()
@Module({
  imports: [OutboxModule],
  providers: [IdempotencyStore, IdempotencyInterceptor],
  exports: [IdempotencyStore, IdempotencyInterceptor],
})
export class IdempotencyModule {}
