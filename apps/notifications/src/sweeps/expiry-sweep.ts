import { Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { AccountsRpc, type Caller, type ExpireInvitationsReply } from '@clientele/contracts';
import { PollingLoop, RpcClient } from '@clientele/messaging';
import { NotificationsConfig } from '../config';
import { EmailQueue } from '../emails/email-queue';
import { EmailSender } from '../emails/email-sender';

const NOTIFICATIONS: Caller = { kind: 'service', service: 'notifications' };
const BATCH = 1000;
/** A batch is done in well under a second; a replica that died mid-batch frees its deadlines after this. */
const CLAIM_SECONDS = 20;
const CONCURRENT_BATCHES = 2;

interface DueDeadline {
  id: string;
  kind: 'invitation-expiry' | 'invitation-reminder';
  invitation_id: string;
  client_id: string;
  /** The claim's end, the same for every row of one pass: it tells this pass's rows from re-armed ones. */
  claim: string;
}

/**
 * Acts on due deadlines: expiries go to accounts in batches (it removes the
 * owners and says so in events), reminders become e-mails. Deadlines are
 * claimed with `FOR UPDATE SKIP LOCKED`, so every replica may sweep; one
 * that dies half-way leaves its claims to expire and be taken again.
 */
@Injectable()
export class ExpirySweep {
  private readonly log = new Logger(ExpirySweep.name);
  private readonly loop: PollingLoop;

  constructor(
    private readonly orm: MikroORM,
    private readonly accounts: RpcClient,
    private readonly queue: EmailQueue,
    private readonly sender: EmailSender,
    config: NotificationsConfig,
  ) {
    this.loop = new PollingLoop(() => this.sweepConcurrently(), {
      name: 'expiry sweep',
      intervalMs: config.sweepIntervalMs,
      onError: (line) => this.log.warn(line),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Two batches in flight: while accounts expires one, this replica claims or
   * closes the other. Claims skip each other's rows, so this is as safe as two
   * replicas sweeping.
   */
  private async sweepConcurrently(): Promise<'more' | 'idle'> {
    // Both passes finish before the next starts (or stop() returns), even when one fails.
    const passes = await Promise.allSettled(Array.from({ length: CONCURRENT_BATCHES }, () => this.sweep()));
    const failed = passes.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed) throw failed.reason;
    return passes.some((p) => p.status === 'fulfilled' && p.value === 'more') ? 'more' : 'idle';
  }

  async sweep(): Promise<'more' | 'idle'> {
    const em = this.orm.em.fork();
    const due = await em.execute<DueDeadline[]>(
      `update notifications.deadline d set claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
        where d.id in (select id from notifications.deadline
                        where done_at is null and due_at <= now() and (claimed_until is null or claimed_until < now())
                        order by due_at limit ${BATCH} for update skip locked)
        returning d.id, d.kind, d.invitation_id, d.client_id, d.claimed_until::text as claim`,
    );
    if (!due.length) return 'idle';
    const expiries = due.filter((d) => d.kind === 'invitation-expiry');
    if (expiries.length) {
      const reply = await this.accounts.request<ExpireInvitationsReply>(
        AccountsRpc.expireInvitations,
        { invitationIds: expiries.map((d) => d.invitation_id) },
        { caller: NOTIFICATIONS },
      );
      if (reply.expired.length) this.log.log({ msg: 'invitations expired', count: reply.expired.length });
    }
    const reminders = due.filter((d) => d.kind === 'invitation-reminder');
    await em.transactional(async (tx) => {
      for (const reminder of reminders) {
        await this.queue.enqueueInvitation(tx, { kind: 'reminder', clientId: reminder.client_id, invitationId: reminder.invitation_id, sendAt: new Date() });
      }
      // Only the rows this pass still holds: a resend may have re-armed one meanwhile (its claim was cleared).
      await tx.execute(`update notifications.deadline set done_at = now() where id in (?) and claimed_until = ?::timestamptz`, [
        due.map((d) => d.id),
        due[0].claim,
      ]);
    });
    if (reminders.length) this.sender.nudge();
    return due.length === BATCH ? 'more' : 'idle';
  }
}
