import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Counter, Registry } from 'prom-client';
import {
  AccountsRpc,
  type Caller,
  type MintedInvitationLinks,
  type MintedPasswordLink,
  type MintedRelationshipRequestLink,
} from '@clientele/contracts';
import { PollingLoop, RpcClient, RpcError, expectedErrorBody, isUnavailableError } from '@clientele/messaging';
import { METRICS_REGISTRY, withSpan } from '@clientele/observability';
import { NotificationsConfig } from '../config';
import { Mailer } from './mailer';
import { renderConnect, renderInvitation, renderPasswordLink } from './templates';

const NOTIFICATIONS: Caller = { kind: 'service', service: 'notifications' };
/** E-mails claimed at once: minted in one request, sent side by side over the SMTP pool, recorded in one statement. */
const BATCH = 50;
/** E-mails in hand at once (claimed, not yet settled): four full batches. */
const IN_FLIGHT = 4 * BATCH;
/** How long e-mails that arrive while batches are out wait for others to be claimed with them. */
const CLAIM_LINGER_MS = 100;
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

/**
 * Claims up to `limit` e-mails for the sender named by its one parameter: the
 * queued ones that are due and those whose sender stopped renewing its claim,
 * oldest first. Each kind is read from its own range of `email_claim_idx`
 * (status, then due time), so a claim reads what it takes, however many
 * e-mails are scheduled for later (ADR 0015).
 */
export const claimDue = (limit: number) => `with queued as (
     select id, send_at, false as taken_over from notifications.email
      where status = 'queued' and send_at <= now() order by send_at limit ${limit} for update skip locked),
   lapsed as (
     select id, send_at, true as taken_over from notifications.email
      where status = 'sending' and claimed_until < now() order by send_at limit ${limit} for update skip locked),
   due as (select id, taken_over from (select * from queued union all select * from lapsed) candidates order by send_at limit ${limit})
   update notifications.email e set status = 'sending', attempts = e.attempts + 1, claimed_by = ?,
          claimed_until = now() + make_interval(secs => ${LEASE_SECONDS}), updated_at = now()
     from due where e.id = due.id
   returning e.id, e.kind, e.client_id, e.invitation_id, e.user_id, e.request_id, e.recipient, e.attempts, due.taken_over, e.traceparent`;

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
  /** The trace of the event that queued it (ADR 0018). */
  traceparent: string | null;
}

/** How long an accepted e-mail waits for others to be recorded with it. */
const RECORD_LINGER_MS = 5;

interface SentRow {
  id: string;
  provider_id: string;
  recipient: string;
  locale: string;
  subject: string;
  client_id: string | null;
}

/** What becomes of one claimed e-mail before SMTP: its message, or a reason to cancel it, or an error to retry after. */
type Outcome = Prepared | { cancel: string } | { retry: Error };

/** A 4xx from accounts means there is nothing to send (accepted, revoked, expired, no such user); anything else is retried. */
function outcomeOf(error: unknown): Outcome {
  const expected = expectedErrorBody(error);
  return expected && expected.status < 500 ? { cancel: expected.message } : { retry: error as Error };
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
  /** The batches being sent. */
  private readonly batches = new Set<Promise<void>>();
  /** The last claim found fewer e-mails than it had room for: the queue had run dry. */
  private lastClaimShort = true;
  private renewer?: NodeJS.Timeout;
  private stoppingAt?: number;
  private readonly takenOver: Counter;
  private readonly messageIdDomain: string;
  /** Accepted by SMTP, waiting (a few ms) to be recorded together. */
  private unrecorded: { row: SentRow; resolve: () => void }[] = [];
  private recordTimer?: NodeJS.Timeout;

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

  /** Claims nothing more and waits for the batches in flight: each e-mail in them is sent and recorded, or put back. */
  async stop(): Promise<void> {
    this.stoppingAt = Date.now();
    await this.loop.stop();
    await Promise.allSettled([...this.batches]);
    clearInterval(this.renewer);
  }

  /**
   * Claims the next batch and sends it in the background, with at most
   * IN_FLIGHT e-mails in hand: a claim waits only while that many are, never
   * for the other batches to end, so while one batch waits for its links or
   * for SMTP the others go on, and the small batches of a trickle (one e-mail
   * each) do not keep the ones queued after them waiting. Claims skip each
   * other's rows, so this is as safe as that many replicas.
   */
  async sendDue(): Promise<'more' | 'idle'> {
    while (this.held.size >= IN_FLIGHT && this.batches.size) await Promise.race(this.batches);
    // While batches are out, what arrives waits a moment for more (or for one to end): under load the queue is
    // claimed in full batches, not an e-mail per nudge, each with its own claim, mint and record.
    if (this.batches.size && this.lastClaimShort) {
      let linger: NodeJS.Timeout | undefined;
      await Promise.race([...this.batches, new Promise((resolve) => (linger = setTimeout(resolve, CLAIM_LINGER_MS)))]);
      clearTimeout(linger);
    }
    if (this.stoppingAt !== undefined) return 'idle';
    const room = Math.min(BATCH, IN_FLIGHT - this.held.size);
    const due = await this.claim(room);
    this.lastClaimShort = due.length < room;
    if (!due.length) return 'idle';
    const batch: Promise<void> = this.sendClaimed(due)
      .catch((error: Error) => this.log.warn(`a batch of ${due.length} e-mails failed: ${error.message}`))
      .finally(() => this.batches.delete(batch));
    this.batches.add(batch);
    return due.length === room ? 'more' : 'idle';
  }

  private async claim(limit: number): Promise<Due[]> {
    const due = await this.orm.em.fork().execute<Due[]>(claimDue(limit), [this.senderId]);
    for (const email of due) {
      this.held.add(email.id);
      if (email.taken_over) {
        this.takenOver.inc();
        this.log.warn({ msg: 'e-mail claimed from a sender that stopped renewing its claim; it may go out twice', emailId: email.id });
      }
    }
    return due;
  }

  /** Sends a claimed batch; its claims are held (and renewed) until every e-mail in it is settled. */
  private async sendClaimed(due: Due[]): Promise<void> {
    try {
      await this.sendBatch(due);
    } finally {
      for (const email of due) this.held.delete(email.id);
    }
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

  /**
   * A claimed batch: links minted (invitations with one request to accounts),
   * messages handed to SMTP side by side over the connection pool, each
   * accepted one recorded within milliseconds (see `recordSoon`).
   */
  private async sendBatch(due: Due[]): Promise<void> {
    const prepared = await this.prepareAll(due);
    // Every e-mail of the batch is waited for, whatever happens to the others: the claims stay held (and
    // renewed) until each one is settled, and a shutdown waits for them.
    await Promise.allSettled(
      due.map(async (email) => {
        const outcome = prepared.get(email.id)!;
        if ('cancel' in outcome) return this.cancel(email, outcome.cancel);
        if ('retry' in outcome) return this.retryLater(email, outcome.retry);
        let providerId: string;
        try {
          // One Message-ID per e-mail, however often it is handed over: receivers can tell a repeat.
          const messageId = `<${email.id}@${this.messageIdDomain}>`;
          const { to, rendered } = outcome;
          // Tracing on, the send is a span of the trace that queued the e-mail (ADR 0018).
          providerId = await withSpan('smtp send', 'client', () => this.mailer.send({ to, subject: rendered.subject, html: rendered.html, text: rendered.text, messageId }), {
            traceparent: email.traceparent,
            attributes: { 'email.kind': email.kind, 'email.id': email.id, 'email.attempt': email.attempts },
          });
        } catch (error) {
          return this.retryLater(email, error as Error);
        }
        await this.recordSoon({
          id: email.id, provider_id: providerId, recipient: outcome.to, locale: outcome.rendered.locale,
          subject: outcome.rendered.subject, client_id: outcome.clientId,
        });
      }),
    );
  }

  /**
   * Records an e-mail SMTP accepted, together with the others accepted in the
   * same few milliseconds: one statement for many, while the window in which
   * a killed sender leaves sent e-mails unrecorded (to go out again) stays as
   * short as recording each one alone.
   */
  private recordSoon(row: SentRow): Promise<void> {
    return new Promise((resolve) => {
      this.unrecorded.push({ row, resolve });
      this.recordTimer ??= setTimeout(() => void this.recordUnrecorded(), RECORD_LINGER_MS);
    });
  }

  /** The ids are given twice: the join alone leaves PostgreSQL to guess how many rows the JSON holds, and it may scan the whole table. */
  private async recordUnrecorded(): Promise<void> {
    this.recordTimer = undefined;
    const batch = this.unrecorded.splice(0);
    const emailIds = batch.map(({ row }) => row.id);
    await this.recordSent(emailIds, async () => {
      await this.orm.em.fork().execute(
        `update notifications.email e set status = 'sent', sent_at = now(), provider_id = v.provider_id, recipient = v.recipient,
                locale = v.locale, subject = v.subject, client_id = coalesce(e.client_id, v.client_id), last_error = null,
                claimed_by = null, claimed_until = null, updated_at = now()
           from jsonb_to_recordset(?::jsonb) as v(id uuid, provider_id text, recipient text, locale text, subject text, client_id uuid)
          where e.id = v.id and e.id = any(?::uuid[]) and e.status <> 'sent'`,
        [JSON.stringify(batch.map(({ row }) => row)), `{${emailIds.join(',')}}`],
      );
    });
    this.log.log({ msg: `${batch.length} e-mails sent`, emailIds });
    for (const { resolve } of batch) resolve();
  }

  /** What to send for each e-mail, or why not: invitations and reminders minted together, the rest one by one. */
  private async prepareAll(due: Due[]): Promise<Map<string, Outcome>> {
    const outcomes = new Map<string, Outcome>();
    const invitations = due.filter((e) => e.kind === 'invitation' || e.kind === 'reminder');
    const others = due.filter((e) => e.kind !== 'invitation' && e.kind !== 'reminder');
    await Promise.all([
      this.invitations(invitations).then((results) => results.forEach((outcome, i) => outcomes.set(invitations[i].id, outcome))),
      ...others.map(async (email) => {
        try {
          outcomes.set(email.id, email.kind === 'relationship-request' ? await this.connect(email) : await this.passwordLink(email));
        } catch (error) {
          outcomes.set(email.id, outcomeOf(error));
        }
      }),
    ]);
    return outcomes;
  }

  /**
   * The e-mails are out: recording them must not fail with the database.
   * Retried (the claims renewed meanwhile) until it succeeds, or on shutdown
   * until the grace runs out, when they may be sent again by another sender.
   */
  private async recordSent(emailIds: string[], record: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await record();
        if (attempt) this.log.log({ msg: 'recorded sent e-mails after the database came back', emailIds, attempts: attempt + 1 });
        return;
      } catch (error) {
        if (!isUnavailableError(error)) {
          // Not the database being away: retrying would not help, and would hold the sender up.
          this.log.error({ msg: 'could not record sent e-mails; they may go out again', emailIds, err: (error as Error).message });
          return;
        }
        if (this.stoppingAt && Date.now() - this.stoppingAt > BOOKKEEPING_GRACE_MS) {
          this.log.error({ msg: 'could not record sent e-mails before stopping; they may go out again', emailIds, err: (error as Error).message });
          return;
        }
        if (attempt === 0) this.log.warn({ msg: 'recording sent e-mails failed; retrying', emailIds, err: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, BOOKKEEPING_RETRY_MS[Math.min(attempt, BOOKKEEPING_RETRY_MS.length - 1)]));
      }
    }
  }

  /**
   * Accepted, revoked, expired, or no such user: there is nothing to send.
   * Only while this sender still holds the claim: one that lost it (a long
   * database outage) must not undo what the sender that took it over did.
   */
  private async cancel(email: Due, reason: string): Promise<void> {
    try {
      await this.orm.em.fork().execute(
        `update notifications.email set status = 'cancelled', last_error = ?, claimed_by = null, claimed_until = null, updated_at = now()
          where id = ? and status = 'sending' and claimed_by = ?`,
        [reason, email.id, this.senderId],
      );
    } catch (error) {
      // The claim lapses and the e-mail is looked at again: nothing is lost.
      this.log.warn(`cancelling e-mail ${email.id} failed: ${(error as Error).message}`);
    }
  }

  /** Minted right before sending, in one request for the batch: the window starts now, and only accounts and these e-mails know the tokens. */
  private async invitations(emails: Due[]): Promise<Outcome[]> {
    if (!emails.length) return [];
    let reply: MintedInvitationLinks;
    try {
      reply = await this.accounts.request<MintedInvitationLinks>(
        AccountsRpc.mintInvitationLink,
        { links: emails.map((e) => ({ invitationId: e.invitation_id, purpose: e.kind })) },
        { caller: NOTIFICATIONS },
      );
    } catch (error) {
      return emails.map(() => ({ retry: error as Error }));
    }
    return emails.map((email, i) => {
      const minted = reply.links[i];
      if (!minted?.ok) return outcomeOf(minted ? RpcError.from(minted.error) : new Error('no link in the reply'));
      const link = minted.link;
      const rendered = renderInvitation(email.kind as 'invitation' | 'reminder', link.language, {
        firstName: link.owner.firstName,
        companyName: link.account.companyName,
        accountName: link.account.accountName,
        inviter: link.invitedBy?.companyName ?? 'Clientele',
        link: `${this.config.publicUrl}/invitations/${link.token}`,
        expiresAt: new Date(link.expiresAt),
      });
      return { to: link.owner.email, clientId: link.clientId, rendered };
    });
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
    try {
      // Only while this sender still holds the claim (see `cancel`).
      await this.orm.em.fork().execute(
        `update notifications.email set status = ?, last_error = ?, claimed_by = null, claimed_until = null,
                send_at = now() + make_interval(secs => ?), updated_at = now() where id = ? and status = 'sending' and claimed_by = ?`,
        [failed ? 'failed' : 'queued', error.message.slice(0, 500), delaySeconds, email.id, this.senderId],
      );
    } catch (bookkeeping) {
      // The claim lapses and the e-mail is tried again: nothing is lost.
      this.log.warn(`putting e-mail ${email.id} back in the queue failed: ${(bookkeeping as Error).message}`);
    }
    this.log.warn(`e-mail ${email.id} attempt ${email.attempts} failed: ${error.message}${failed ? ' (giving up)' : ''}`);
  }
}
