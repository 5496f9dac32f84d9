import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClientResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { ClientReadModel } from '../../clients/client.read-model';
import { EmailTakenError, NoPendingInvitationError, NotFoundError } from '../../domain/domain-error';
import { Invitation } from '../../domain/invitation.entity';
import { User } from '../../domain/user.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { ResendInvitationCommand } from './resend-invitation.command';

/**
 * A new link now with a new 14-day window; older links stop working. After
 * expiry the removed owner is restored as invited. An owner created without
 * an invitation (`send: none`) gets one now.
 */
@CommandHandler(ResendInvitationCommand)
export class ResendInvitationHandler implements ICommandHandler<ResendInvitationCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller, clientId }: ResendInvitationCommand): Promise<ClientResponse> {
    await this.access.requireParent(caller, clientId);
    await this.uow.runRetryingConflicts(
      async (em) => {
        const owner = await em.findOne(User, { accountId: clientId, isOwner: true }, { orderBy: { createdAt: 'asc' } });
        if (!owner) throw new NotFoundError('owner');
        if (owner.status === 'active') throw new NoPendingInvitationError();
        const now = new Date();
        let invitation = await em.findOne(Invitation, { userId: owner.id }, { orderBy: { createdAt: 'desc' } });
        if (!invitation) {
          invitation = Invitation.schedule(owner, 'now', now, now);
          em.persist(invitation);
        }
        invitation.resend(now);
        if (owner.status === 'removed') {
          owner.status = 'invited';
          owner.updatedAt = now;
        }
        return { result: null, aggregates: [invitation] };
      },
      (constraint) => (constraint === 'user_email_uq' ? new EmailTakenError() : undefined),
    );
    return (await this.clients.findOne(clientId, { withAdminNotes: true }))!;
  }
}
