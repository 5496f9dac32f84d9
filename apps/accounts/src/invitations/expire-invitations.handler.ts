import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ExpireInvitationsReply } from '@clientele/contracts';
import { Invitation } from '../domain/invitation.entity';
import { User } from '../domain/user.entity';
import { UnitOfWork } from '../outbox/unit-of-work';
import { ExpireInvitationsCommand } from './invitation-commands';
import { requireNotificationsService } from './service-caller';

/**
 * Expires the invitations whose window passed and removes their owners, in
 * one transaction. One accepted (or resent) a moment before is left alone:
 * expiring is a no-op unless the invitation is still sent and overdue.
 */
@CommandHandler(ExpireInvitationsCommand)
export class ExpireInvitationsHandler implements ICommandHandler<ExpireInvitationsCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, invitationIds }: ExpireInvitationsCommand): Promise<ExpireInvitationsReply> {
    requireNotificationsService(caller);
    if (!invitationIds.length) return { expired: [], unchanged: [] };
    return this.uow.run(async (em) => {
      const now = new Date();
      const invitations = await em.find(Invitation, { id: { $in: invitationIds }, status: 'sent' });
      const expired = invitations.filter((invitation) => invitation.expire(now));
      if (expired.length) {
        // One statement for the batch's owners: the invitations' events already say what happened to them.
        await em.nativeUpdate(User, { id: { $in: expired.map((i) => i.userId) }, status: 'invited' }, { status: 'removed', updatedAt: now });
      }
      const done = new Set(expired.map((i) => i.id));
      return {
        result: { expired: [...done], unchanged: invitationIds.filter((id) => !done.has(id)) },
        aggregates: expired,
      };
    });
  }
}
