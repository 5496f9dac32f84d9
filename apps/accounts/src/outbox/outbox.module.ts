import { Module } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail';
import { OutboxRelay } from './outbox.relay';
import { UnitOfWork } from './unit-of-work';

/**
 * The outbox writer and its relay, and the audit trail the writer keeps with
 * it; EventsSettings and OutboxSettings come from the root module.
 */
@Module({ providers: [OutboxRelay, UnitOfWork, AuditTrail], exports: [OutboxRelay, UnitOfWork, AuditTrail] })
export class OutboxModule {}
