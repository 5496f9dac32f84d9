import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ClientAccess } from '../../access/client-access';
import { NoPendingInvitationError } from '../../domain/domain-error';
import { Invitation } from '../../domain/invitation.entity';
import { User } from '../../domain/user.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { RevokeInvitationCommand } from './revoke-invitation.command';

/** Withdraws the owner's pending invitation: its link stops working; the owner stays invited and can be sent a new one. */
@CommandHandler(RevokeInvitationCommand)
export class RevokeInvitationHandler implements ICommandHandler<RevokeInvitationCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ caller, clientId }: RevokeInvitationCommand): Promise<null> {
    await this.access.requireParent(caller, clientId);
    await this.uow.runRetryingConflicts(async (em) => {
      const owner = await em.findOne(User, { accountId: clientId, isOwner: true }, { orderBy: { createdAt: 'asc' } });
      const invitation = owner ? await em.findOne(Invitation, { userId: owner.id }, { orderBy: { createdAt: 'desc' } }) : null;
      if (!invitation) throw new NoPendingInvitationError();
      invitation.revoke(new Date());
      return { result: null, aggregates: [invitation] };
    });
    return null;
  }
}
