import { settingsInOrder, type AddressView, type ClientResponse, type ClientSettings, type InvitationStatus, type LicenseView, type OwnerView } from '@clientele/contracts';
import type { Address, OpenedAccount } from '../domain/account.entity';
import { isoUtc } from '../shared/sql-time';

/** A time as the database gives it (text) or as the domain holds it. */
type Timestamp = Date | string;

/**
 * A client as the read model's SQL returns it and as a just-opened account
 * holds it: the one shape its answer is mapped from.
 */
export type ClientRecord = Pick<
  ClientResponse,
  'id' | 'type' | 'accountName' | 'companyName' | 'uniqueIdentifier' | 'billingEmails' | 'status' | 'phone' | 'language'
  | 'currency' | 'emergencyContactEmail' | 'creditBalance' | 'version'
> & {
  address: Address;
  settings: Partial<ClientSettings>;
  adminNotes: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  owner: (Omit<OwnerView, 'invitation'> & {
    invitation: { status: InvitationStatus; sendAt: Timestamp | null; sentAt: Timestamp | null; expiresAt: Timestamp | null } | null;
  }) | null;
  licenses: LicenseView[];
};

/** Fixed key order for answers (jsonb does not keep it). */
export function addressView(a: Address): AddressView {
  return { country: a.country, region: a.region, city: a.city, line1: a.line1, line2: a.line2, postalCode: a.postalCode };
}

const iso = (value: Timestamp | null): string | null => (value ? isoUtc(value) : null);

/** The answer about a client; admin notes only for its parent. */
export function toClientResponse(record: ClientRecord, options: { withAdminNotes: boolean }): ClientResponse {
  const { owner } = record;
  return {
    id: record.id,
    type: record.type,
    accountName: record.accountName,
    companyName: record.companyName,
    uniqueIdentifier: record.uniqueIdentifier,
    billingEmails: record.billingEmails,
    active: record.status === 'active',
    status: record.status,
    address: addressView(record.address),
    phone: record.phone,
    language: record.language,
    currency: record.currency.trim(),
    emergencyContactEmail: record.emergencyContactEmail,
    settings: settingsInOrder(record.settings),
    creditBalance: record.creditBalance,
    ...(options.withAdminNotes ? { adminNotes: record.adminNotes } : {}),
    // Both sources give the owner's keys in the answer's order (the SQL builds them so, recordOfOpened too).
    owner: owner && {
      ...owner,
      invitation: owner.invitation && {
        status: owner.invitation.status,
        sendAt: iso(owner.invitation.sendAt),
        sentAt: iso(owner.invitation.sentAt),
        expiresAt: iso(owner.invitation.expiresAt),
      },
    },
    servicePlans: record.licenses,
    createdAt: isoUtc(record.createdAt),
    updatedAt: isoUtc(record.updatedAt),
    version: record.version,
  };
}

/** A just-opened account as a record: the answer to a create, without reading it back. */
export function recordOfOpened({ account, owner, invitation, licenses }: OpenedAccount): ClientRecord {
  return {
    ...account,
    owner: {
      id: owner.id,
      firstName: owner.firstName,
      lastName: owner.lastName,
      email: owner.email,
      role: owner.role,
      status: owner.status,
      invitation: invitation && { status: invitation.status, sendAt: invitation.sendAt, sentAt: invitation.sentAt, expiresAt: invitation.expiresAt },
    },
    licenses: licenses.map((l) => ({ id: l.id, planId: l.planId, units: l.units, startDate: l.startDate, status: l.status })),
  };
}
