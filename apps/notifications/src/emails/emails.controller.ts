import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EntityManager } from '@mikro-orm/postgresql';
import { ListEmailsPayload, NotificationsRpc, PasswordResetRequest, type EmailLogEntry, type Page } from '@clientele/contracts';
import { EmailQueue } from './email-queue';
import { EmailSender } from './email-sender';

/** The delivery log of a client's e-mails. The gateway asks accounts first whether the caller may see the client. */
@Controller()
export class EmailsController {
  constructor(
    private readonly em: EntityManager,
    private readonly queue: EmailQueue,
    private readonly sender: EmailSender,
  ) {}

  /** Queued whether or not the address belongs to someone: the answer never tells. */
  @MessagePattern(NotificationsRpc.requestPasswordReset)
  async requestPasswordReset(@Payload() { email }: PasswordResetRequest): Promise<null> {
    await this.queue.enqueuePasswordLink(this.em, { kind: 'password-reset', recipient: email });
    this.sender.nudge();
    return null;
  }

  @MessagePattern(NotificationsRpc.listEmails)
  async list(@Payload() { clientId }: ListEmailsPayload): Promise<Page<EmailLogEntry>> {
    const rows = await this.em.execute<Record<string, any>[]>(
      `select id, kind, recipient, locale, subject, status, attempts, last_error, send_at, sent_at, created_at
         from notifications.email where client_id = ? order by created_at desc, id desc limit 200`,
      [clientId],
    );
    const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);
    return {
      data: rows.map((r) => ({
        id: r.id,
        template: r.kind,
        recipient: r.recipient,
        locale: r.locale,
        subject: r.subject,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        scheduledFor: iso(r.send_at)!,
        sentAt: iso(r.sent_at),
        createdAt: iso(r.created_at)!,
      })),
      nextCursor: null,
    };
  }
}
