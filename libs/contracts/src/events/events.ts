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
  /** CloudEvents distributed tracing extension: the W3C trace context of the request that caused the event, when it had one. */
  traceparent?: string;
  tracestate?: string;
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
  invitation: { invitationId: string; send: 'now' | 'scheduled'; sendAt: string } | null;
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

/** `accounts.owner.invited`: an invitation link went out; the window runs until `expiresAt`. */
export interface OwnerInvitedData {
  invitationId: string;
  clientId: string;
  userId: string;
  sentAt: string;
  expiresAt: string;
}

/** `accounts.owner.invitation-resent`: a new link is to be sent now; older links no longer work. */
export interface OwnerInvitationResentData {
  invitationId: string;
  clientId: string;
  userId: string;
}

/** `accounts.owner.invitation-revoked` and `accounts.owner.invitation-expired`. */
export interface OwnerInvitationClosedData {
  invitationId: string;
  clientId: string;
  userId: string;
}

/** `accounts.owner.activated`: the owner set a password and can sign in. */
export interface OwnerActivatedData {
  clientId: string;
  userId: string;
  via: 'invitation';
}

/** `accounts.owner.removed`: an owner who never accepted was removed from the account. */
export interface OwnerRemovedData {
  clientId: string;
  userId: string;
  reason: 'invitation-expired';
}

/** `accounts.relationship.requested`: an account invited another (by an admin's e-mail) to become its client. */
export interface RelationshipRequestedData {
  requestId: string;
  fromAccountId: string;
  email: string;
  expiresAt: string;
}

/** `accounts.relationship.accepted` / `accounts.relationship.declined`. */
export interface RelationshipDecidedData {
  requestId: string;
  parentId: string;
  clientId: string;
  relationshipId: string | null;
}
