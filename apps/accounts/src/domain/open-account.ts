import {
  type ClientCreatedData,
  type CreateClientRequest,
  type InvitationSendMode,
} from '@clientele/contracts';
import { Account, DEFAULT_SETTINGS } from './account.entity';
import { Invitation } from './invitation.entity';
import { License } from './license.entity';
import { Relationship } from './relationship.entity';
import { User } from './user.entity';
import { newId } from './ids';
import { canonicalLanguage, normalizeDecimal, withoutNulls } from './values';

export interface OpenedAccount {
  account: Account;
  relationship: Relationship | null;
  owner: User;
  invitation: Invitation | null;
  licenses: License[];
}

/**
 * Opens a company's account with its owner: under a parent (a client) or at
 * the top of a channel (a partner). The owner is always an admin; with a
 * password the owner is active at once, otherwise invited.
 */
export function openAccount(
  input: CreateClientRequest,
  options: { parentId: string | null; passwordHash: string | null; now: Date },
): OpenedAccount {
  const { now, parentId, passwordHash } = options;
  const account = new Account();
  account.id = newId();
  account.type = input.type ?? 'customer';
  account.accountName = input.accountName.trim();
  account.companyName = input.companyName.trim();
  account.uniqueIdentifier = input.uniqueIdentifier?.trim() || null;
  account.billingEmails = input.billingEmails ?? [];
  account.status = input.active === false ? 'inactive' : 'active';
  account.address = {
    country: input.address.country.toUpperCase(),
    region: input.address.region,
    city: input.address.city,
    line1: input.address.line1 ?? null,
    line2: input.address.line2 ?? null,
    postalCode: input.address.postalCode ?? null,
  };
  account.phone = input.phone ?? null;
  account.language = input.language ? canonicalLanguage(input.language) : 'en';
  account.currency = (input.currency ?? 'USD').toUpperCase();
  account.emergencyContactEmail = input.emergencyContactEmail ?? null;
  account.settings = { ...DEFAULT_SETTINGS, ...withoutNulls(input.settings ?? {}) };
  account.creditBalance = normalizeDecimal(input.creditBalance ?? '0');
  account.adminNotes = input.adminNotes ?? null;
  account.isPartner = parentId === null;
  account.createdAt = now;
  account.updatedAt = now;
  account.version = 1;

  const owner = new User();
  owner.id = newId();
  owner.accountId = account.id;
  owner.email = input.owner.email.trim();
  owner.firstName = input.owner.firstName.trim();
  owner.lastName = input.owner.lastName.trim();
  owner.role = 'admin';
  owner.isOwner = true;
  owner.status = passwordHash ? 'active' : 'invited';
  owner.passwordHash = passwordHash;
  owner.createdAt = now;
  owner.updatedAt = now;
  owner.version = 1;

  const send: InvitationSendMode = input.invitation?.send ?? 'now';
  const invitation =
    passwordHash || send === 'none'
      ? null
      : Invitation.schedule(owner, send, send === 'scheduled' && input.invitation?.sendAt ? new Date(input.invitation.sendAt) : now, now);

  const licenses = (input.servicePlans ?? []).map((plan) => License.assign(account.id, plan, now));

  const data: ClientCreatedData = {
    clientId: account.id,
    parentId,
    type: account.type,
    accountName: account.accountName,
    companyName: account.companyName,
    status: account.status,
    language: account.language,
    owner: {
      userId: owner.id,
      email: owner.email,
      firstName: owner.firstName,
      lastName: owner.lastName,
      status: owner.status as 'invited' | 'active',
    },
    invitation: invitation ? { invitationId: invitation.id, send: invitation.sendMode as 'now' | 'scheduled', sendAt: invitation.sendAt!.toISOString() } : null,
  };
  account.recordCreated(data);

  return {
    account,
    relationship: parentId ? Relationship.between(parentId, account, now) : null,
    owner,
    invitation,
    licenses,
  };
}


