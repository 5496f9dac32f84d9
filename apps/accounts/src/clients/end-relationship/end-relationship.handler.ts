import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { Relationship } from '../../domain/relationship.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { EndRelationshipCommand } from './end-relationship.command';

/** The parent lets a client go: it loses access at once; the account, its users and data stay. */
@CommandHandler(EndRelationshipCommand)
export class EndRelationshipHandler implements ICommandHandler<EndRelationshipCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ caller, clientId }: EndRelationshipCommand): Promise<null> {
    const { accountId } = await this.access.requireParent(caller, clientId);
    await this.uow.run(async (em) => {
      const link = await em.findOne(Relationship, { parentId: accountId, clientId, status: 'active' });
      if (!link) throw new NotFoundError('client');
      link.end(new Date());
      return { result: null, aggregates: [link] };
    });
    return null;
  }
}
