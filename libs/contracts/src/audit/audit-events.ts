import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageRequest } from '../clients/list-clients.request';

/** Who did it: a user (by id and e-mail), an API key, the installation's operator, or the system (the expiry sweep). */
export type AuditActorType = 'user' | 'api-key' | 'operator' | 'system';

/** `GET /v1/audit-events`: newest first, in keyset pages. */
export class ListAuditEventsRequest extends PageRequest {
  @ApiPropertyOptional({ description: 'Only the trail of this client (one below your account) or of your own account; a client outside your reach answers 404' })
  @IsOptional() @IsString() @MaxLength(64)
  clientId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only what this user or API key did' })
  @IsOptional() @IsUUID('all')
  actorId?: string;

  @ApiPropertyOptional({ example: 'client.updated', description: 'Only entries of this action' })
  @IsOptional() @IsString() @MaxLength(100) @Matches(/^[a-z-]+(\.[a-z-]+)+$/, { message: 'action must be an action such as client.updated' })
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only entries at or after this instant' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 timestamp' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only entries before this instant' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 timestamp' })
  until?: string;
}

/** One entry of the audit trail. */
export interface AuditEventResponse {
  id: string;
  occurredAt: string;
  /** An event type without `accounts.` (`client.created`), or `auth.signed-in`, `api-key.created`, ... */
  action: string;
  actor: { type: AuditActorType; id: string | null; email?: string };
  target: { type: string; id: string; name?: string };
  /** What each changed field was and became; never a secret. */
  changes: Record<string, { from: unknown; to: unknown }>;
  context: { ip: string | null; userAgent: string | null; requestId: string | null };
}
