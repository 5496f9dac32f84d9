import { Injectable } from '@nestjs/common';
import type { CreateClientRequest } from '@clientele/contracts';
import {
  AccountNameTakenError,
  EmailTakenError,
  UniqueIdentifierTakenError,
} from '../domain/domain-error';
import { Account, type OpenAccountProps, type OpenedAccount } from '../domain/account.entity';
import { PlanCatalogue } from '../plans/plan-catalogue';
import { UnitOfWork } from '../outbox/unit-of-work';
import { hashPassword } from '../shared/passwords';

const CONSTRAINT_ERRORS: Record<string, (body: CreateClientRequest) => Error> = {
  relationship_account_name_uq: (body) => new AccountNameTakenError(body.accountName),
  account_partner_name_uq: (body) => new AccountNameTakenError(body.accountName),
  relationship_unique_identifier_uq: () => new UniqueIdentifierTakenError(),
  user_email_uq: () => new EmailTakenError(),
};

/** What a create request asks for, in the domain's terms. */
export function openingProps(
  body: CreateClientRequest,
  context: { parent: OpenAccountProps['parent']; passwordHash: string | null; now: Date },
): OpenAccountProps {
  const { address, owner, invitation } = body;
  return {
    parent: context.parent,
    type: body.type ?? 'customer',
    accountName: body.accountName,
    companyName: body.companyName,
    uniqueIdentifier: body.uniqueIdentifier ?? null,
    billingEmails: body.billingEmails ?? [],
    active: body.active !== false,
    address: { country: address.country, region: address.region, city: address.city, line1: address.line1 ?? null, line2: address.line2 ?? null, postalCode: address.postalCode ?? null },
    phone: body.phone ?? null,
    language: body.language ?? null,
    currency: body.currency ?? null,
    emergencyContactEmail: body.emergencyContactEmail ?? null,
    settings: body.settings ?? {},
    creditBalance: body.creditBalance ?? null,
    adminNotes: body.adminNotes ?? null,
    owner: { email: owner.email, firstName: owner.firstName, lastName: owner.lastName, passwordHash: context.passwordHash },
    invitation: { send: invitation?.send ?? 'now', sendAt: invitation?.sendAt ? new Date(invitation.sendAt) : null },
    servicePlans: body.servicePlans ?? [],
    now: context.now,
  };
}

/**
 * Opens an account (client or partner) in one statement with its owner, its
 * invitation, its licences and its `accounts.client.created` event. Races on
 * names are settled by unique indexes, not by reading first.
 */
@Injectable()
export class AccountOpening {
  constructor(
    private readonly plans: PlanCatalogue,
    private readonly uow: UnitOfWork,
  ) {}

  async open(body: CreateClientRequest, parent: OpenAccountProps['parent']): Promise<OpenedAccount> {
    const now = new Date();
    // Refusals before the costly step (a password hash takes tens of milliseconds of CPU):
    // the parent rule and the parent's client form, then the catalogue.
    Account.assertMayOpen(openingProps(body, { parent, passwordHash: null, now }));
    if (parent && body.servicePlans?.length) {
      await this.plans.assertAssignable(parent.id, body.servicePlans.map((p, i) => ({ field: `servicePlans.${i}.planId`, planId: p.planId })));
    }
    const passwordHash = body.owner.password ? await hashPassword(body.owner.password) : null;
    const opened = Account.open(openingProps(body, { parent, passwordHash, now }));
    // Every row is new: one statement writes them all with the events (foreign keys are checked at its end).
    const entities = [opened.account, opened.owner, ...opened.licenses, opened.relationship, opened.invitation].filter((e) => e !== null);
    return this.uow.insert(
      { result: opened, entities, aggregates: [opened.account, ...opened.licenses] },
      (constraint) => CONSTRAINT_ERRORS[constraint]?.(body),
    );
  }
}
