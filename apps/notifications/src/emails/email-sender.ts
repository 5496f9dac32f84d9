import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Counter, Registry } from 'prom-client';
import {
  AccountsRpc,
  type Caller,
  type MintedInvitationLink,
  type MintedPasswordLink,
  type MintedRelationshipRequestLink,
} from '@clientele/contracts';
import { PollingLoop, RpcClient, isExpectedError } from '@clientele/messaging';
import { METRICS_REGISTRY } from '@clientele/observability';
import { NotificationsConfig } from '../config';
import { Mailer } from './mailer';
import { renderConnect, renderInvitation, renderPasswordLink } from './templates';

const NOTIFICATIONS: Caller = { kind: 'service', service: 'notifications' };
const BATCH = 20;
/**
 * A claim lasts this long unless its sender renews it, which it does every
 * RENEW_MS while it holds the e-mail: a sender that died frees its e-mails
 * within LEASE_SECONDS, and one that lost the database for less than
 * LEASE_SECONDS - RENEW_MS keeps them (ADR 0011).
 */
const LEASE_SECONDS = 20;
const RENEW_MS = 5_000;
/** After SMTP accepted an e-mail, recording it is retried this often until the database answers. */
const BOOKKEEPING_RETRY_MS = [250, 500, 1_000, 2_000];
/** On shutdown, recording what was sent is given this long before the process gives up on it. */
const BOOKKEEPING_GRACE_MS = 5_000;

interface Due {
  id: string;
  kind: 'invitation' | 'reminder' | 'password-reset' | 'password-setup' | 'relationship-request';
  client_id: string | null;
  invitation_id: string | null;
  user_id: string | null;
  request_id: string | null;
  recipient: string | null;
  attempts: number;
  /** Claimed from a sender that stopped renewing its claim: it may have been sent already. */
  taken_over: boolean;
}

interface Prepared {
  to: string;
  clientId: string | null;
  rendered: { locale: string; subject: string; text: string; html: string };
}

/**
 * Sends the e-mails that are due. Each is claimed with `FOR UPDATE SKIP
 * LOCKED` under a short lease that its sender renews, so replicas share the
 * work and none sends one twice; the link is minted by accounts right before
 * sending; a transient failure is retried with backoff, a closed invitation
 * cancels the e-mail. Once SMTP has accepted an e-mail, recording that is
 * retried here until the database answers: the message is already out.
 */
@Injectable()
export class EmailSender {
  private readonly log = new Logger(EmailSender.name);
  private readonly loop: PollingLoop;
  /** This process's name on the claims it holds. */
  private readonly senderId = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  /** E-mails this sender holds: their claims are renewed until they are settled. */
  private readonly held = new Set<string>();
  private renewer?: NodeJS.Timeout;
  private stoppingAt?: number;
  private readonly takenOver: Counter;
  private readonly messageIdDomain: string;

  constructor(
    private readonly orm: MikroORM,
    private readonly accounts: RpcClient,
    private readonly mailer: Mailer,
    private readonly config: NotificationsConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.loop = new PollingLoop(() => this.sendDue(), {
      name: 'e-mail sender',
      intervalMs: config.sendIntervalMs,
      onError: (line) => this.log.warn(line),
    });
    this.takenOver = new Counter({
      name: 'clientele_email_claims_taken_over_total',
      help: 'E-mails claimed again after their sender stopped renewing its claim (it died or lost the database): each may have gone out twice',
      registers: [registry],
    });
    this.messageIdDomain = /@([^>\s]+)>?\s*$/.exec(config.MAIL_FROM)?.[1] ?? 'clientele.invalid';
  }

  start(): void {
    this.loop.start();
    this.renewer = setInterval(() => void this.renewClaims(), RENEW_MS);
    this.renewer.unref();
  }

  nudge(): void {
    this.loop.nudge();
  }

  async stop(): Promise<void> {
    this.stoppingAt = Date.now();
    await this.loop.stop();
    clearInterval(this.renewer);
  }

  async sendDue(): Promise<'more' | 'idle'> {
    const due = await this.orm.em.fork().execute<Due[]>(
      `with due as (
         select id, status = 'sending' as taken_over from notifications.email
          where (status = 'queued' and send_at <= now()) or (status = 'sending' and claimed_until < now())
          order by send_at limit ${BATCH} for update skip locked)
       update notifications.email e set status = 'sending', attempts = e.attempts + 1, claimed_by = ?,
              claimed_until = now() + make_interval(secs => ${LEASE_SECONDS}), updated_at = now()
         from due where e.id = due.id
       returning e.id, e.kind, e.client_id, e.invitation_id, e.user_id, e.request_id, e.recipient, e.attempts, due.taken_over`,
      [this.senderId],
    );
    for (const email of due) {
      this.held.add(email.id);
      if (email.taken_over) {
        this.takenOver.inc();
        this.log.warn({ msg: 'e-mail claimed from a sender that stopped renewing its claim; it may go out twice', emailId: email.id });
      }
    }
    await Promise.all(due.map((email) => this.sendOne(email).finally(() => this.held.delete(email.id))));
    return due.length === BATCH ? 'more' : 'idle';
  }

  /** Keeps the claims of the e-mails in hand; while the database is away this fails, and the leases cover the gap. */
  private async renewClaims(): Promise<void> {
    if (!this.held.size) return;
    try {
      await this.orm.em.fork().execute(
        `update notifications.email set claimed_until = now() + make_interval(secs => ${LEASE_SECONDS})
          where id = any(?::uuid[]) and status = 'sending' and claimed_by = ?`,
        [`{${[...this.held].join(',')}}`, this.senderId],
      );
    } catch (error) {
      this.log.warn(`renewing the claims of ${this.held.size} e-mails failed: ${(error as Error).message}`);
    }
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
    let providerId: string;
    try {
      // One Message-ID per e-mail, however often it is handed over: receivers can tell a repeat.
      const messageId = `<${email.id}@${this.messageIdDomain}>`;
      providerId = await this.mailer.send({ to, subject: rendered.subject, html: rendered.html, text: rendered.text, messageId });
    } catch (error) {
      return this.retryLater(email, error as Error);
    }
    await this.recordSent(email, async () => {
      await em.execute(
        `update notifications.email set status = 'sent', sent_at = now(), provider_id = ?, recipient = ?, locale = ?, subject = ?,
                client_id = coalesce(client_id, ?), last_error = null, claimed_by = null, claimed_until = null, updated_at = now()
          where id = ? and status <> 'sent'`,
        [providerId, to, rendered.locale, rendered.subject, prepared.clientId, email.id],
      );
    });
    this.log.log({ msg: `${email.kind} e-mail sent`, emailId: email.id, clientId: prepared.clientId, locale: rendered.locale });
  }

  /**
   * The e-mail is out: recording it must not fail with the database. Retried
   * (the claim renewed meanwhile) until it succeeds, or on shutdown until the
   * grace runs out, when the e-mail may be sent again by another sender.
   */
  private async recordSent(email: Due, record: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await record();
        if (attempt) this.log.log({ msg: 'recorded a sent e-mail after the database came back', emailId: email.id, attempts: attempt + 1 });
        return;
      } catch (error) {
        if (this.stoppingAt && Date.now() - this.stoppingAt > BOOKKEEPING_GRACE_MS) {
          this.log.error({ msg: 'could not record a sent e-mail before stopping; it may go out again', emailId: email.id, err: (error as Error).message });
          return;
        }
        if (attempt === 0) this.log.warn({ msg: 'recording a sent e-mail failed; retrying', emailId: email.id, err: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, BOOKKEEPING_RETRY_MS[Math.min(attempt, BOOKKEEPING_RETRY_MS.length - 1)]));
      }
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
      `update notifications.email set status = ?, last_error = ?, claimed_by = null, claimed_until = null,
              send_at = now() + make_interval(secs => ?), updated_at = now() where id = ?`,
      [failed ? 'failed' : 'queued', error.message.slice(0, 500), delaySeconds, email.id],
    );
    this.log.warn(`e-mail ${email.id} attempt ${email.attempts} failed: ${error.message}${failed ? ' (giving up)' : ''}`);
  }
}
