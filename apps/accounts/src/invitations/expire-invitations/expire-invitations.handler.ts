import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ExpireInvitationsReply } from '@clientele/contracts';
import { isUuid } from '../../domain/ids';
import { Invitation } from '../../domain/invitation.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { requireNotificationsService } from '../../access/service-caller';
import { ExpireInvitationsCommand } from './expire-invitations.command';

/**
 * Expires the invitations whose window passed and removes their owners, in
 * one transaction. One accepted (or resent) a moment before is left alone:
 * expiring is a no-op unless the invitation is still sent and overdue. The
 * sweep sends up to a thousand at a time, so this is done set-wise: one
 * update of the invitations (the row locks order it against an accept in
 * flight), one of their owners, and the events the domain says an expiry
 * raises.
 */
@CommandHandler(ExpireInvitationsCommand)
export class ExpireInvitationsHandler implements ICommandHandler<ExpireInvitationsCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, invitationIds }: ExpireInvitationsCommand): Promise<ExpireInvitationsReply> {
    requireNotificationsService(caller);
    const ids = invitationIds.filter(isUuid);
    if (!ids.length) return { expired: [], unchanged: invitationIds };
    return this.uow.run(async (em) => {
      const now = new Date();
      const expired = await em.execute<{ id: string; user_id: string; account_id: string }[]>(
        `update accounts.invitation set status = 'expired', updated_at = ?, version = version + 1
          where id in (?) and status = 'sent' and expires_at <= ?
          returning id, user_id, account_id`,
        [now, ids, now],
      );
      if (expired.length) {
        await em.execute(`update accounts."user" set status = 'removed', updated_at = ? where id in (?) and status = 'invited'`, [
          now,
          expired.map((row) => row.user_id),
        ]);
      }
      const done = new Set(expired.map((row) => row.id));
      return {
        result: { expired: [...done], unchanged: invitationIds.filter((id) => !done.has(id)) },
        aggregates: [],
        events: expired.flatMap((row) => Invitation.expiryEvents({ id: row.id, accountId: row.account_id, userId: row.user_id })),
      };
    });
  }
}
