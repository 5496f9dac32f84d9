import {
  EventTypes,
  type ClientCreatedData,
  type ClientFormUpdatedData,
  type ClientImportCompletedData,
  type EventType,
  type LicenseAssignedData,
  type RelationshipDecidedData,
  type RelationshipEndedData,
  type RelationshipRequestedData,
} from '@clientele/contracts';
import type { DomainEvent } from '../domain/aggregate';
import type { AuditEntry } from './audit-trail';

type Placement = Pick<AuditEntry, 'accountId' | 'target'>;

/** Where each kind of event is recorded: whose trail, and what it is about. A new event type must say (the type checks it). */
const PLACEMENTS: Record<EventType, (data: never) => Placement> = {
  [EventTypes.clientCreated]: (d: ClientCreatedData) => client(d.clientId, d.accountName),
  [EventTypes.clientUpdated]: (d: { clientId: string }) => client(d.clientId),
  [EventTypes.clientActivated]: (d: { clientId: string }) => client(d.clientId),
  [EventTypes.clientDeactivated]: (d: { clientId: string }) => client(d.clientId),
  // The parent's trail: ending the relationship takes the client out of its reach, not its own doing out of sight.
  [EventTypes.relationshipEnded]: (d: RelationshipEndedData) => ({ accountId: d.parentId, target: { type: 'client', id: d.clientId } }),
  [EventTypes.ownerInvited]: owner,
  [EventTypes.ownerInvitationResent]: owner,
  [EventTypes.ownerInvitationRevoked]: owner,
  [EventTypes.ownerActivated]: owner,
  [EventTypes.ownerInvitationExpired]: owner,
  [EventTypes.ownerRemoved]: owner,
  [EventTypes.relationshipRequested]: (d: RelationshipRequestedData) => ({
    accountId: d.fromAccountId,
    target: { type: 'relationship-request', id: d.requestId, name: d.email },
  }),
  // The deciding account's trail; a parent it accepted reads it there, as one of its clients.
  [EventTypes.relationshipAccepted]: decided,
  [EventTypes.relationshipDeclined]: decided,
  [EventTypes.licenseAssigned]: license,
  [EventTypes.licenseChanged]: license,
  [EventTypes.licenseEnded]: license,
  // The account's own trail: its rules for the clients it opens and changes.
  [EventTypes.clientFormUpdated]: (d: ClientFormUpdatedData) => ({ accountId: d.accountId, target: { type: 'account', id: d.accountId } }),
  // The importing account's trail, next to the import's `client-import.created`.
  [EventTypes.clientImportCompleted]: (d: ClientImportCompletedData) => ({ accountId: d.accountId, target: { type: 'client-import', id: d.importId } }),
};

function client(clientId: string, name?: string): Placement {
  return { accountId: clientId, target: { type: 'client', id: clientId, ...(name === undefined ? {} : { name }) } };
}
function owner(d: { clientId: string; userId: string }): Placement {
  return { accountId: d.clientId, target: { type: 'user', id: d.userId } };
}
function decided(d: RelationshipDecidedData): Placement {
  return { accountId: d.clientId, target: { type: 'relationship-request', id: d.requestId } };
}
function license(d: Pick<LicenseAssignedData, 'licenseId' | 'clientId'>): Placement {
  return { accountId: d.clientId, target: { type: 'license', id: d.licenseId } };
}

/**
 * The audit entries of one command's events: one per subject (the thing
 * changed), named after its first event — a creation that also invites the
 * owner is one `client.created` — with the changes of all of them.
 */
export function entriesOfEvents(events: readonly DomainEvent[]): AuditEntry[] {
  const bySubject = new Map<string, AuditEntry>();
  for (const event of events) {
    const entry = bySubject.get(event.subject);
    if (entry) {
      if (event.audit?.changes) entry.changes = { ...entry.changes, ...event.audit.changes };
      continue;
    }
    const { accountId, target } = (PLACEMENTS[event.type] as (data: unknown) => Placement)(event.data);
    const name = event.audit?.name ?? target.name;
    bySubject.set(event.subject, {
      accountId,
      action: event.type.replace(/^accounts\./, ''),
      target: name === undefined ? target : { ...target, name },
      changes: { ...event.audit?.changes },
    });
  }
  return [...bySubject.values()];
}
