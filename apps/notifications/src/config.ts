import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { IsDuration, ServiceConfig, parseDuration } from '@clientele/config';

export class NotificationsConfig extends ServiceConfig {
  override HTTP_PORT = 3002;

  /** `smtp://user:pass@host:port` (or `smtps://`). */
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString() @MinLength(3)
  MAIL_FROM = 'Clientele <no-reply@localhost>';

  /** Base of the links in e-mails. */
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL = 'http://localhost:3000';

  /** How often the expiry sweep looks for due deadlines. */
  @IsDuration()
  SWEEP_INTERVAL = '30s';

  /** The reminder goes this long before an invitation expires; 0 sends none. */
  @IsDuration()
  INVITATION_REMINDER_BEFORE = '3d';

  /** How often the sender looks for e-mails that are due (new work wakes it at once). */
  @IsDuration()
  SEND_INTERVAL = '1s';

  /**
   * SMTP connections this process keeps open, each carrying one message at a
   * time. Many MTAs limit connections per client address (Postfix: 50 by
   * default); replicas behind one address share that limit.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(500)
  SMTP_MAX_CONNECTIONS = 50;

  /** Attempts before an e-mail is marked failed; transient SMTP errors are retried with backoff. */
  @Type(() => Number) @IsInt() @Min(1) @Max(50)
  MAX_SEND_ATTEMPTS = 8;

  get sweepIntervalMs(): number { return parseDuration(this.SWEEP_INTERVAL)!; }
  get reminderBeforeMs(): number { return parseDuration(this.INVITATION_REMINDER_BEFORE)!; }
  get sendIntervalMs(): number { return parseDuration(this.SEND_INTERVAL)!; }
  get publicUrl(): string { return this.PUBLIC_URL.replace(/\/$/, ''); }

  /** How long JetStream waits for an ack before offering an event again. */
  @IsDuration()
  EVENT_ACK_WAIT = '30s';

  /** First delay before a failed event is retried (grows with each delivery). */
  @IsDuration()
  EVENT_RETRY_DELAY = '1s';

  /** Events already received are handled up to this many per transaction. */
  @Type(() => Number) @IsInt() @Min(1) @Max(500)
  EVENT_BATCH_SIZE = 100;

  get ackWaitMs(): number { return parseDuration(this.EVENT_ACK_WAIT)!; }
  get retryDelayMs(): number { return parseDuration(this.EVENT_RETRY_DELAY)!; }
}
