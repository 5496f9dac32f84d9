import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { clientFormInOrder, type ClientFormResponse } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import type { ClientForm } from '../../domain/client-form';
import { NotFoundError } from '../../domain/domain-error';
import { queryPrepared } from '../../shared/prepared';
import { GetClientFormQuery } from './get-client-form.query';

/** The caller's client form: what its clients must have and the defaults they get (empty until it sets one). */
@QueryHandler(GetClientFormQuery)
export class GetClientFormHandler implements IQueryHandler<GetClientFormQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller }: GetClientFormQuery): Promise<ClientFormResponse> {
    const { accountId } = this.access.requireAccountCaller(caller);
    const [account] = await queryPrepared<{ client_form: ClientForm }>(this.em, `select client_form from accounts.account where id = ?`, [accountId]);
    if (!account) throw new NotFoundError('account');
    return clientFormInOrder(account.client_form);
  }
}
