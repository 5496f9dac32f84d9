import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ClientAccess } from '../../access/client-access';
import { NotFoundError } from '../../domain/domain-error';
import { isUuid } from '../../domain/ids';
import { RelationshipRequest } from '../../domain/relationship-request.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { CancelRelationshipRequestCommand } from './cancel-relationship-request.command';

@CommandHandler(CancelRelationshipRequestCommand)
export class CancelRelationshipRequestHandler implements ICommandHandler<CancelRelationshipRequestCommand> {
  constructor(private readonly access: ClientAccess, private readonly uow: UnitOfWork) {}

  async execute({ caller, requestId }: CancelRelationshipRequestCommand): Promise<null> {
    const { accountId } = this.access.requireAccountCaller(caller);
    if (!isUuid(requestId)) throw new NotFoundError('request to connect');
    await this.uow.run(async (em) => {
      const request = await em.findOne(RelationshipRequest, { id: requestId, fromAccountId: accountId });
      if (!request) throw new NotFoundError('request to connect');
      request.cancel(new Date());
      // No event goes out for a cancellation (nobody else was told of it yet), but the trail has it.
      const target = { type: 'relationship-request', id: request.id, name: request.email };
      return { result: null, aggregates: [request], audit: [{ accountId, action: 'relationship-request.cancelled', target }] };
    });
    return null;
  }
}
