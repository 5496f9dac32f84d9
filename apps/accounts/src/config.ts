import { Matches } from 'class-validator';
import { IsDuration, ServiceConfig, parseDuration } from '@clientele/config';

export class AccountsConfig extends ServiceConfig {
  override HTTP_PORT = 3001;

  /** How long an owner's invitation link stays valid. */
  @IsDuration()
  INVITATION_TTL = '14d';

  /** Longest wait between two outbox scans (commits in this process wake the relay at once). */
  @IsDuration()
  OUTBOX_POLL_INTERVAL = '500ms';

  /** How long published outbox rows are kept (JetStream's own fsync lags; see ADR 0004). */
  @IsDuration()
  OUTBOX_RETENTION = '7d';

  /** How long audit entries are kept; the retention sweep removes older ones (ADR 0021). */
  @IsDuration() @Matches(/[1-9]/, { message: 'must be a duration longer than 0, such as 400d' })
  AUDIT_RETENTION = '400d';

  /** JetStream drops a re-published event id within this window. */
  @IsDuration()
  EVENTS_DUPLICATE_WINDOW = '2m';

  get invitationTtlMs(): number { return parseDuration(this.INVITATION_TTL)!; }
  get outboxPollMs(): number { return parseDuration(this.OUTBOX_POLL_INTERVAL)!; }
  get outboxRetentionMs(): number { return parseDuration(this.OUTBOX_RETENTION)!; }
  get auditRetentionMs(): number { return parseDuration(this.AUDIT_RETENTION)!; }
  get duplicateWindowMs(): number { return parseDuration(this.EVENTS_DUPLICATE_WINDOW)!; }
}
