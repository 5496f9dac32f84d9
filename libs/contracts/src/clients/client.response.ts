import type { AccountType } from './create-client.request';
import type { ClientSettings } from './client-settings';

export const CLIENT_STATUSES = ['active', 'inactive'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];
export type OwnerStatus = 'invited' | 'active' | 'removed';
export type InvitationStatus = 'scheduled' | 'sent' | 'accepted' | 'expired' | 'revoked';

export interface AddressView {
  country: string;
  region: string;
  city: string;
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
}

/** The answer's `settings`: every switch of the one list, in its order. */
export type ClientSettingsView = ClientSettings;

export interface OwnerView {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  role: 'admin';
  status: OwnerStatus;
  invitation: {
    status: InvitationStatus;
    sendAt: string | null;
    sentAt: string | null;
    expiresAt: string | null;
  } | null;
}

export interface LicenseView {
  id: string;
  planId: string;
  units: number;
  startDate: string;
  status: 'active' | 'ended';
}

export interface ClientResponse {
  id: string;
  type: AccountType;
  accountName: string;
  companyName: string;
  uniqueIdentifier: string | null;
  billingEmails: string[];
  active: boolean;
  status: ClientStatus;
  address: AddressView;
  phone: string | null;
  language: string;
  currency: string;
  emergencyContactEmail: string | null;
  settings: ClientSettingsView;
  creditBalance: string;
  /** Present only for the parent's users. */
  adminNotes?: string | null;
  owner: OwnerView | null;
  servicePlans: LicenseView[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** One row of a client list: what the list screens show. */
export interface ClientSummary {
  id: string;
  type: AccountType;
  accountName: string;
  companyName: string;
  status: ClientStatus;
  /** The owner's state (`invited`, `active`, `removed`); null for an account opened without an owner. */
  ownerStatus: OwnerStatus | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
