import { IsDuration, ServiceConfig, parseDuration } from '@clientele/config';

export class NotificationsConfig extends ServiceConfig {
  override HTTP_PORT = 3002;

  /** How long JetStream waits for an ack before offering an event again. */
  @IsDuration()
  EVENT_ACK_WAIT = '30s';

  /** First delay before a failed event is retried (grows with each delivery). */
  @IsDuration()
  EVENT_RETRY_DELAY = '1s';

  get ackWaitMs(): number { return parseDuration(this.EVENT_ACK_WAIT)!; }
  get retryDelayMs(): number { return parseDuration(this.EVENT_RETRY_DELAY)!; }
}
