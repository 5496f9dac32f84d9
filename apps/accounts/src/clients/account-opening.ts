import { Injectable } from '@nestjs/common';
import type { CreateClientRequest } from '@clientele/contracts';
import {
  AccountNameTakenError,
  EmailTakenError,
  UniqueIdentifierTakenError,
} from '../domain/domain-error';
import { openAccount, type OpenedAccount } from '../domain/open-account';
import { PlanCatalogue } from '../plans/plan-catalogue';
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
    private readonly plans: PlanCatalogue,
    private readonly uow: UnitOfWork,
  ) {}

  async open(body: CreateClientRequest, parentId: string | null): Promise<OpenedAccount> {
    if (parentId && body.servicePlans?.length) {
      await this.plans.assertAssignable(parentId, body.servicePlans.map((p, i) => ({ field: `servicePlans.${i}.planId`, planId: p.planId })));
    }
    const passwordHash = body.owner.password ? await hashPassword(body.owner.password) : null;
    const opened = openAccount(body, { parentId, passwordHash, now: new Date() });
    // Every row is new: one statement writes them all with the events (foreign keys are checked at its end).
    const entities = [opened.account, opened.owner, ...opened.licenses, opened.relationship, opened.invitation].filter((e) => e !== null);
    return this.uow.insert(
      { result: opened, entities, aggregates: [opened.account, ...opened.licenses] },
      (constraint) => CONSTRAINT_ERRORS[constraint]?.(body),
    );
  }
}
