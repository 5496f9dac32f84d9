import { Module } from '@nestjs/common';
import { ClientAccess } from '../access/client-access';
import { AuditController } from './audit.controller';
import { AuditRetentionSweep } from './audit-retention.sweep';
import { ListAuditEventsHandler } from './list-audit-events/list-audit-events.handler';

const queryHandlers = [ListAuditEventsHandler];

/**
 * Reading the audit trail and keeping it to its retention. Entries are
 * written by `AuditTrail`, which the outbox module provides with the unit of
 * work that writes most of them.
 */
@Module({
  controllers: [AuditController],
  providers: [...queryHandlers, AuditRetentionSweep, ClientAccess],
})
export class AuditModule {}
