import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CreateClientRequest } from '@clientele/contracts';
import {
  AccountNameTakenError,
  EmailTakenError,
  ServicePlanNotFoundError,
  UniqueIdentifierTakenError,
} from '../domain/domain-error';
import { openAccount } from '../domain/open-account';
import { ServicePlan } from '../domain/service-plan.entity';
import { UnitOfWork } from '../outbox/unit-of-work';
import { hashPassword } from '../shared/passwords';

const CONSTRAINT_ERRORS: Record<string, (body: CreateClientRequest) => Error> = {
  relationship_account_name_uq: (body) => new AccountNameTakenError(body.accountName),
  account_partner_name_uq: (body) => new AccountNameTakenError(body.accountName),
  relationship_unique_identifier_uq: () => new UniqueIdentifierTakenError(),
  user_email_uq: () => new EmailTakenError(),
};

/**
 * Opens an account (client or partner) in one transaction with its owner, its
 * invitation, its licences and its `accounts.client.created` event. Races on
 * names are settled by unique indexes, not by reading first.
 */
@Injectable()
export class AccountOpening {
  constructor(
    private readonly em: EntityManager,
    private readonly uow: UnitOfWork,
  ) {}

  async open(body: CreateClientRequest, parentId: string | null): Promise<string> {
    if (parentId && body.servicePlans?.length) await this.assertPlansInCatalogue(parentId, body);
    const passwordHash = body.owner.password ? await hashPassword(body.owner.password) : null;
    return this.uow.run(
      async (em) => {
        const opened = openAccount(body, { parentId, passwordHash, now: new Date() });
        em.persist(opened.account);
        await em.flush();
        if (opened.relationship) em.persist(opened.relationship);
        em.persist(opened.owner);
        await em.flush();
        if (opened.invitation) em.persist(opened.invitation);
        em.persist(opened.licenses);
        return { result: opened.account.id, aggregates: [opened.account] };
      },
      (constraint) => CONSTRAINT_ERRORS[constraint]?.(body),
    );
  }

  private async assertPlansInCatalogue(parentId: string, body: CreateClientRequest): Promise<void> {
    const ids = [...new Set(body.servicePlans!.map((p) => p.planId))];
    const found = await this.em.find(ServicePlan, { id: { $in: ids }, accountId: parentId, active: true }, { fields: ['id'] });
    const known = new Set(found.map((p) => p.id));
    const missing = body.servicePlans!.flatMap((plan, index) =>
      known.has(plan.planId) ? [] : [{ field: `servicePlans.${index}.planId`, message: 'planId is not an active plan of your catalogue' }],
    );
    if (missing.length) throw new ServicePlanNotFoundError(missing);
  }
}
