import { Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  AccountsRpc,
  type Caller,
  type MintedInvitationLink,
  type MintedPasswordLink,
  type MintedRelationshipRequestLink,
} from '@clientele/contracts';
import { PollingLoop, RpcClient, isExpectedError } from '@clientele/messaging';
import { NotificationsConfig } from '../config';
import { Mailer } from './mailer';
import { renderConnect, renderInvitation, renderPasswordLink } from './templates';

const NOTIFICATIONS: Caller = { kind: 'service', service: 'notifications' };
const BATCH = 20;
/** A claim outlives a slow SMTP server; a replica that died mid-send releases its e-mails after this. */
const CLAIM_SECONDS = 120;

interface Due {
  id: string;
  kind: 'invitation' | 'reminder' | 'password-reset' | 'password-setup' | 'relationship-request';
  client_id: string | null;
  invitation_id: string | null;
  user_id: string | null;
  request_id: string | null;
  recipient: string | null;
  attempts: number;
}

interface Prepared {
  to: string;
  clientId: string | null;
  rendered: { locale: string; subject: string; text: string; html: string };
}

/**
 * Sends the e-mails that are due. Each is claimed with `FOR UPDATE SKIP
 * LOCKED`, so replicas share the work and none sends one twice; the link is
 * minted by accounts right before sending; a transient failure is retried
 * with backoff, a closed invitation cancels the e-mail.
 */
@Injectable()
export class EmailSender {
  private readonly log = new Logger(EmailSender.name);
  private readonly loop: PollingLoop;

  constructor(
    private readonly orm: MikroORM,
    private readonly accounts: RpcClient,
    private readonly mailer: Mailer,
    private readonly config: NotificationsConfig,
  ) {
    this.loop = new PollingLoop(() => this.sendDue(), {
      name: 'e-mail sender',
      intervalMs: config.sendIntervalMs,
      onError: (line) => this.log.warn(line),
    });
  }

  start(): void {
    this.loop.start();
  }

  nudge(): void {
    this.loop.nudge();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async sendDue(): Promise<'more' | 'idle'> {
    const due = await this.orm.em.fork().execute<Due[]>(
      `update notifications.email e set status = 'sending', attempts = e.attempts + 1,
              claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS}), updated_at = now()
        where e.id in (select id from notifications.email
                        where (status = 'queued' and send_at <= now()) or (status = 'sending' and claimed_until < now())
                        order by send_at limit ${BATCH} for update skip locked)
        returning e.id, e.kind, e.client_id, e.invitation_id, e.user_id, e.request_id, e.recipient, e.attempts`,
    );
    await Promise.all(due.map((email) => this.sendOne(email)));
    return due.length === BATCH ? 'more' : 'idle';
  }

  private async sendOne(email: Due): Promise<void> {
    const em = this.orm.em.fork();
    let prepared: Prepared;
    try {
      prepared =
        email.kind === 'invitation' || email.kind === 'reminder'
          ? await this.invitation(email)
          : email.kind === 'relationship-request'
            ? await this.connect(email)
            : await this.passwordLink(email);
    } catch (error) {
      if (isExpectedError(error) && error.status < 500) {
        // Accepted, revoked, expired, or no such user: there is nothing to send.
        await em.execute(`update notifications.email set status = 'cancelled', last_error = ?, updated_at = now() where id = ?`, [error.message, email.id]);
        return;
      }
      return this.retryLater(email, error as Error);
    }
    const { to, rendered } = prepared;
    try {
      const providerId = await this.mailer.send({ to, subject: rendered.subject, html: rendered.html, text: rendered.text });
      await em.execute(
        `update notifications.email set status = 'sent', sent_at = now(), provider_id = ?, recipient = ?, locale = ?, subject = ?,
                client_id = coalesce(client_id, ?), last_error = null, claimed_until = null, updated_at = now()
          where id = ? and status = 'sending'`,
        [providerId, to, rendered.locale, rendered.subject, prepared.clientId, email.id],
      );
      this.log.log({ msg: `${email.kind} e-mail sent`, emailId: email.id, clientId: prepared.clientId, locale: rendered.locale });
    } catch (error) {
      await this.retryLater(email, error as Error);
    }
  }

  /** Minted right before sending: the window starts now, and only accounts and this e-mail know the token. */
  private async invitation(email: Due): Promise<Prepared> {
    const link = await this.accounts.request<MintedInvitationLink>(
      AccountsRpc.mintInvitationLink,
      { invitationId: email.invitation_id, purpose: email.kind },
      { caller: NOTIFICATIONS },
    );
    const rendered = renderInvitation(email.kind as 'invitation' | 'reminder', link.language, {
      firstName: link.owner.firstName,
      companyName: link.account.companyName,
      accountName: link.account.accountName,
      inviter: link.invitedBy?.companyName ?? 'Clientele',
      link: `${this.config.publicUrl}/invitations/${link.token}`,
      expiresAt: new Date(link.expiresAt),
    });
    return { to: link.owner.email, clientId: link.clientId, rendered };
  }

  private async connect(email: Due): Promise<Prepared> {
    const link = await this.accounts.request<MintedRelationshipRequestLink>(
      AccountsRpc.mintRelationshipRequestLink,
      { requestId: email.request_id },
      { caller: NOTIFICATIONS },
    );
    const rendered = renderConnect(link.language, {
      fromCompany: link.from.companyName,
      message: link.message,
      link: `${this.config.publicUrl}/relationship-requests/${link.token}`,
      expiresAt: new Date(link.expiresAt),
    });
    return { to: link.email, clientId: null, rendered };
  }

  private async passwordLink(email: Due): Promise<Prepared> {
    const kind = email.kind as 'password-reset' | 'password-setup';
    const link = await this.accounts.request<MintedPasswordLink>(
      AccountsRpc.mintPasswordLink,
      email.user_id ? { userId: email.user_id, purpose: kind === 'password-setup' ? 'setup' : 'reset' } : { email: email.recipient, purpose: 'reset' },
      { caller: NOTIFICATIONS },
    );
    const rendered = renderPasswordLink(kind, link.language, {
      firstName: link.user.firstName,
      companyName: link.account.companyName,
      link: `${this.config.publicUrl}/password-reset/${link.token}`,
      expiresAt: new Date(link.expiresAt),
    });
    return { to: link.user.email, clientId: link.account.id, rendered };
  }

  private async retryLater(email: Due, error: Error): Promise<void> {
    const failed = email.attempts >= this.config.MAX_SEND_ATTEMPTS;
    const delaySeconds = Math.min(600, 2 ** email.attempts);
    await this.orm.em.fork().execute(
      `update notifications.email set status = ?, last_error = ?, claimed_until = null,
              send_at = now() + make_interval(secs => ?), updated_at = now() where id = ?`,
      [failed ? 'failed' : 'queued', error.message.slice(0, 500), delaySeconds, email.id],
    );
    this.log.warn(`e-mail ${email.id} attempt ${email.attempts} failed: ${error.message}${failed ? ' (giving up)' : ''}`);
  }
}
