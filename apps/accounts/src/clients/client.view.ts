import type { AddressView, ClientResponse, ClientSettingsView } from '@clientele/contracts';
import type { Address, AccountSettings } from '../domain/account.entity';
import type { OpenedAccount } from '../domain/open-account';

/** Fixed key order for answers (jsonb does not keep it). */
export function addressView(a: Address): AddressView {
  return { country: a.country, region: a.region, city: a.city, line1: a.line1, line2: a.line2, postalCode: a.postalCode };
}

export function settingsView(s: AccountSettings): ClientSettingsView {
  return {
    taxExempt: s.taxExempt,
    lateFeesExempt: s.lateFeesExempt,
    overdueNotices: s.overdueNotices,
    separateInvoices: s.separateInvoices,
    disableCardProcessing: s.disableCardProcessing,
    marketingOptOut: s.marketingOptOut,
    autoStatusUpdate: s.autoStatusUpdate,
    allowSingleSignOn: s.allowSingleSignOn,
    paymentMethod: s.paymentMethod,
    billingContact: s.billingContact,
    clientGroup: s.clientGroup,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The answer to a create, from what was just written: the same shape the read
 * model gives (the end-to-end tests compare the two), without reading it back.
 */
export function clientViewOf(opened: OpenedAccount, options: { withAdminNotes: boolean }): ClientResponse {
  const { account, owner, invitation, licenses } = opened;
  return {
    id: account.id,
    type: account.type,
    accountName: account.accountName,
    companyName: account.companyName,
    uniqueIdentifier: account.uniqueIdentifier,
    billingEmails: account.billingEmails,
    active: account.status === 'active',
    status: account.status,
    address: addressView(account.address),
    phone: account.phone,
    language: account.language,
    currency: account.currency,
    emergencyContactEmail: account.emergencyContactEmail,
    settings: settingsView(account.settings),
    creditBalance: account.creditBalance,
    ...(options.withAdminNotes ? { adminNotes: account.adminNotes } : {}),
    owner: {
      id: owner.id,
      firstName: owner.firstName,
      lastName: owner.lastName,
      email: owner.email,
      role: owner.role,
      status: owner.status,
      invitation: invitation
        ? { status: invitation.status, sendAt: iso(invitation.sendAt), sentAt: iso(invitation.sentAt), expiresAt: iso(invitation.expiresAt) }
        : null,
    },
    servicePlans: licenses.map((l) => ({ id: l.id, planId: l.planId, units: l.units, startDate: l.startDate, status: l.status })),
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
    version: account.version,
  };
}
