import { Module } from '@nestjs/common';
import { OutboxRelay } from './outbox.relay';
import { UnitOfWork } from './unit-of-work';

/** The outbox writer and its relay; EventsSettings and OutboxSettings come from the root module. */
@Module({ providers: [OutboxRelay, UnitOfWork], exports: [OutboxRelay, UnitOfWork] })
export class OutboxModule {}
