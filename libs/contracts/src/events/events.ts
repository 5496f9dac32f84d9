import type { AccountType } from '../clients/create-client.request';
import type { ClientStatus } from '../clients/client.response';

/** Event types published on the ACCOUNTS stream (subject = `accounts.events.` + the part after `accounts.`). */
export const EventTypes = {
  clientCreated: 'accounts.client.created',
  clientUpdated: 'accounts.client.updated',
  clientActivated: 'accounts.client.activated',
  clientDeactivated: 'accounts.client.deactivated',
  relationshipEnded: 'accounts.relationship.ended',
  ownerInvited: 'accounts.owner.invited',
  ownerInvitationResent: 'accounts.owner.invitation-resent',
  ownerInvitationRevoked: 'accounts.owner.invitation-revoked',
  ownerActivated: 'accounts.owner.activated',
  ownerInvitationExpired: 'accounts.owner.invitation-expired',
  ownerRemoved: 'accounts.owner.removed',
  relationshipRequested: 'accounts.relationship.requested',
  relationshipAccepted: 'accounts.relationship.accepted',
  relationshipDeclined: 'accounts.relationship.declined',
  licenseAssigned: 'accounts.license.assigned',
  licenseChanged: 'accounts.license.changed',
  licenseEnded: 'accounts.license.ended',
} as const;
export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

export const EVENTS_STREAM = 'ACCOUNTS';
export const EVENTS_SUBJECT_ROOT = 'accounts.events';

/** `accounts.client.created` → `accounts.events.client.created` (under an optional test prefix). */
export function eventSubject(type: EventType | string, root = EVENTS_SUBJECT_ROOT): string {
  return `${root}.${type.replace(/^accounts\./, '')}`;
}

/** CloudEvents 1.0, structured JSON mode. */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: '/accounts';
  type: EventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

export interface ClientCreatedData {
  clientId: string;
  parentId: string | null;
  type: AccountType;
  accountName: string;
  companyName: string;
  status: ClientStatus;
  language: string;
  owner: {
    userId: string;
    email: string;
    firstName: string;
    lastName: string;
    status: 'invited' | 'active';
  };
  invitation: { send: 'now' | 'scheduled' | 'none'; sendAt: string | null } | null;
}

/** `accounts.client.updated`: the fields that changed, with their new values (admin notes by name only). */
export interface ClientUpdatedData {
  clientId: string;
  changedFields: string[];
  changes: Record<string, unknown>;
  version: number;
}

/** `accounts.client.activated` / `accounts.client.deactivated`. */
export interface ClientStatusChangedData {
  clientId: string;
  status: ClientStatus;
  version: number;
}

/** `accounts.relationship.ended`: the parent lost access; the account is kept. */
export interface RelationshipEndedData {
  relationshipId: string;
  parentId: string;
  clientId: string;
  endedAt: string;
}

/** `accounts.license.assigned`. */
export interface LicenseAssignedData {
  licenseId: string;
  clientId: string;
  planId: string;
  units: number;
  startDate: string;
}

/** `accounts.license.changed`: the new values of what changed. */
export interface LicenseChangedData {
  licenseId: string;
  clientId: string;
  planId: string;
  changes: { units?: number; startDate?: string };
  version: number;
}

/** `accounts.license.ended`. */
export interface LicenseEndedData {
  licenseId: string;
  clientId: string;
  planId: string;
  endedAt: string;
}
