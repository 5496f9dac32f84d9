import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { clientFormInOrder, type ClientFormResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { Account } from '../../domain/account.entity';
import { NotFoundError } from '../../domain/domain-error';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { UpdateClientFormCommand } from './update-client-form.command';

/**
 * Replaces the caller's client form through its account, in one transaction
 * with `client-form.updated`. A PUT is "last write wins": a concurrent change
 * of the account is retried, not reported.
 */
@CommandHandler(UpdateClientFormCommand)
export class UpdateClientFormHandler implements ICommandHandler<UpdateClientFormCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ caller, form }: UpdateClientFormCommand): Promise<ClientFormResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const wanted = { required: form.required ?? [], defaults: form.defaults ?? {} };
    return this.uow.runRetryingConflicts(async (em) => {
      const account = await em.findOne(Account, accountId);
      if (!account) throw new NotFoundError('account');
      account.changeClientForm(wanted, new Date());
      return { result: clientFormInOrder(account.clientForm), aggregates: [account] };
    });
  }
}
