import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { ACCOUNT_TYPES } from '../clients/create-client.request';
import { CLIENT_STATUSES } from '../clients/client.response';
import { CLIENT_FORM_FIELDS, type ClientFormDefaults } from '../clients/client-form';
import { CLIENT_SETTING_KEYS, CLIENT_SETTINGS_DEFAULTS } from '../clients/client-settings';

/**
 * The event contracts. Each `data` is a TypeBox schema with its TypeScript
 * type derived from it (`Static`), so the type the services compile against
 * and the JSON Schema published in `GET /docs/asyncapi.json` are one source.
 * A new event: add its type to `EventTypes`, its data schema below (doc
 * comment as `description`), the pair to `EventDataSchemas`, and a step that
 * raises it to test/e2e/asyncapi.test.ts (ADR 24).
 */

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
  clientFormUpdated: 'accounts.client-form.updated',
  clientImportCompleted: 'accounts.client-import.completed',
} as const;
export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

export const EVENTS_STREAM = 'ACCOUNTS';
export const EVENTS_SUBJECT_ROOT = 'accounts.events';

/** `accounts.client.created` → `accounts.events.client.created` (under an optional test prefix). */
export function eventSubject(type: EventType | string, root = EVENTS_SUBJECT_ROOT): string {
  return `${root}.${type.replace(/^accounts\./, '')}`;
}

/** A string that is one of `values`, as a plain JSON Schema `enum` (TypeBox's own unions become `anyOf` of constants). */
function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

const Id = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });
const Instant = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const Nullable = <T extends TSchema>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description ? { description } : {});

/** The CloudEvents 1.0 attributes of every event (structured JSON mode); its `data` is in `EventDataSchemas`. */
export const CloudEventAttributes = Type.Object({
  specversion: Type.Literal('1.0'),
  id: Id('Unique per event, also the `Nats-Msg-Id` header: a subscriber that sees an id twice may drop the second.'),
  source: Type.Literal('/accounts'),
  type: StringEnum(Object.values(EventTypes)),
  subject: Id('The aggregate the event is about: one subject\'s events are published in the order they happened.'),
  time: Instant('When the change was committed.'),
  datacontenttype: Type.Literal('application/json'),
  traceparent: Type.Optional(
    Type.String({ description: 'CloudEvents distributed tracing extension: the W3C trace context of the request that caused the event, when it had one.' }),
  ),
  tracestate: Type.Optional(Type.String({ description: 'The W3C `tracestate` of that request, when it had one.' })),
});

/** CloudEvents 1.0, structured JSON mode. */
export type CloudEvent<T = unknown> = Static<typeof CloudEventAttributes> & { data: T };

export const ClientCreatedData = Type.Object(
  {
    clientId: Id(),
    parentId: Nullable(Id(), 'The account the client was created under; null for a partner at the top of a channel.'),
    type: StringEnum(ACCOUNT_TYPES),
    accountName: Type.String(),
    companyName: Type.String(),
    status: StringEnum(CLIENT_STATUSES),
    language: Type.String({ description: 'BCP 47 language tag.' }),
    owner: Type.Object({
      userId: Id(),
      email: Type.String({ format: 'email' }),
      firstName: Type.String(),
      lastName: Type.String(),
      status: StringEnum(['invited', 'active']),
    }),
    invitation: Nullable(
      Type.Object({
        invitationId: Id(),
        send: StringEnum(['now', 'scheduled']),
        sendAt: Instant('When the invitation e-mail goes out.'),
      }),
      'The owner\'s invitation; null when none is sent (`send: "none"`, or the owner was given a password).',
    ),
  },
  { description: '`accounts.client.created`: a new account, with its owner and the owner\'s invitation.' },
);
export type ClientCreatedData = Static<typeof ClientCreatedData>;

export const ClientUpdatedData = Type.Object(
  {
    clientId: Id(),
    changedFields: Type.Array(Type.String()),
    changes: Type.Record(Type.String(), Type.Unknown(), { description: 'Each changed field with its new value (absent for `adminNotes`).' }),
    version: Type.Integer({ minimum: 1 }),
  },
  { description: '`accounts.client.updated`: the fields that changed, with their new values (admin notes by name only).' },
);
export type ClientUpdatedData = Static<typeof ClientUpdatedData>;

export const ClientStatusChangedData = Type.Object(
  {
    clientId: Id(),
    status: StringEnum(CLIENT_STATUSES),
    version: Type.Integer({ minimum: 1 }),
  },
  { description: '`accounts.client.activated` / `accounts.client.deactivated`.' },
);
export type ClientStatusChangedData = Static<typeof ClientStatusChangedData>;

export const RelationshipEndedData = Type.Object(
  {
    relationshipId: Id(),
    parentId: Id(),
    clientId: Id(),
    endedAt: Instant(),
  },
  { description: '`accounts.relationship.ended`: the parent lost access; the account is kept.' },
);
export type RelationshipEndedData = Static<typeof RelationshipEndedData>;

export const LicenseAssignedData = Type.Object(
  {
    licenseId: Id(),
    clientId: Id(),
    planId: Id(),
    units: Type.Integer({ minimum: 1 }),
    startDate: Type.String({ format: 'date' }),
  },
  { description: '`accounts.license.assigned`.' },
);
export type LicenseAssignedData = Static<typeof LicenseAssignedData>;

export const LicenseChangedData = Type.Object(
  {
    licenseId: Id(),
    clientId: Id(),
    planId: Id(),
    changes: Type.Object({
      units: Type.Optional(Type.Integer({ minimum: 1 })),
      startDate: Type.Optional(Type.String({ format: 'date' })),
    }),
    version: Type.Integer({ minimum: 1 }),
  },
  { description: '`accounts.license.changed`: the new values of what changed.' },
);
export type LicenseChangedData = Static<typeof LicenseChangedData>;

export const LicenseEndedData = Type.Object(
  {
    licenseId: Id(),
    clientId: Id(),
    planId: Id(),
    endedAt: Instant(),
  },
  { description: '`accounts.license.ended`.' },
);
export type LicenseEndedData = Static<typeof LicenseEndedData>;

export const OwnerInvitedData = Type.Object(
  {
    invitationId: Id(),
    clientId: Id(),
    userId: Id(),
    sentAt: Instant(),
    expiresAt: Instant(),
  },
  { description: '`accounts.owner.invited`: an invitation link went out; the window runs until `expiresAt`.' },
);
export type OwnerInvitedData = Static<typeof OwnerInvitedData>;

export const OwnerInvitationResentData = Type.Object(
  {
    invitationId: Id(),
    clientId: Id(),
    userId: Id(),
  },
  { description: '`accounts.owner.invitation-resent`: a new link is to be sent now; older links no longer work.' },
);
export type OwnerInvitationResentData = Static<typeof OwnerInvitationResentData>;

export const OwnerInvitationClosedData = Type.Object(
  {
    invitationId: Id(),
    clientId: Id(),
    userId: Id(),
  },
  { description: '`accounts.owner.invitation-revoked` and `accounts.owner.invitation-expired`.' },
);
export type OwnerInvitationClosedData = Static<typeof OwnerInvitationClosedData>;

export const OwnerActivatedData = Type.Object(
  {
    clientId: Id(),
    userId: Id(),
    via: StringEnum(['invitation']),
  },
  { description: '`accounts.owner.activated`: the owner set a password and can sign in.' },
);
export type OwnerActivatedData = Static<typeof OwnerActivatedData>;

export const OwnerRemovedData = Type.Object(
  {
    clientId: Id(),
    userId: Id(),
    reason: StringEnum(['invitation-expired']),
  },
  { description: '`accounts.owner.removed`: an owner who never accepted was removed from the account.' },
);
export type OwnerRemovedData = Static<typeof OwnerRemovedData>;

export const RelationshipRequestedData = Type.Object(
  {
    requestId: Id(),
    fromAccountId: Id(),
    email: Type.String({ format: 'email' }),
    expiresAt: Instant(),
  },
  { description: '`accounts.relationship.requested`: an account invited another (by an admin\'s e-mail) to become its client.' },
);
export type RelationshipRequestedData = Static<typeof RelationshipRequestedData>;

export const RelationshipDecidedData = Type.Object(
  {
    requestId: Id(),
    parentId: Id(),
    clientId: Id(),
    relationshipId: Nullable(Id(), 'The new relationship; null when declined.'),
  },
  { description: '`accounts.relationship.accepted` / `accounts.relationship.declined`.' },
);
export type RelationshipDecidedData = Static<typeof RelationshipDecidedData>;

/** The switches a client form may give defaults for, each of its type in the settings list. */
const SettingDefaults = Type.Object(
  Object.fromEntries(CLIENT_SETTING_KEYS.map((key) => [key, Type.Optional(typeof CLIENT_SETTINGS_DEFAULTS[key] === 'boolean' ? Type.Boolean() : Type.String())])),
  { additionalProperties: false },
);

export const ClientFormUpdatedData = Type.Object(
  {
    accountId: Id('The account whose client form changed (also the event `subject`).'),
    required: Type.Array(StringEnum(CLIENT_FORM_FIELDS), { description: 'The optional client fields this account\'s new and changed clients must have.' }),
    defaults: Type.Unsafe<ClientFormDefaults>(
      Type.Object(
        {
          language: Type.Optional(Type.String({ description: 'BCP 47 language tag.' })),
          currency: Type.Optional(Type.String({ description: 'ISO 4217 code.' })),
          settings: Type.Optional(SettingDefaults),
        },
        { additionalProperties: false, description: 'What fills a new client\'s fields its create leaves out; only what is set.' },
      ),
    ),
    version: Type.Integer({ minimum: 1, description: 'The account\'s version after the change.' }),
  },
  { description: '`accounts.client-form.updated`: an account changed the rules its clients are created and changed under (the whole form as it now is).' },
);
export type ClientFormUpdatedData = Static<typeof ClientFormUpdatedData>;

export const ClientImportCompletedData = Type.Object(
  {
    importId: Id('The import (also the event `subject`).'),
    accountId: Id('The account that imported: the new clients\' parent.'),
    total: Type.Integer({ minimum: 1, description: 'Rows in the file.' }),
    created: Type.Integer({ minimum: 0, description: 'Rows that became clients, each with its own `accounts.client.created`.' }),
    failed: Type.Integer({ minimum: 0, description: 'Rows refused; their reasons are in `GET /v1/client-imports/{id}/rows`.' }),
  },
  { description: '`accounts.client-import.completed`: every row of an import was processed (`created + failed = total`).' },
);
export type ClientImportCompletedData = Static<typeof ClientImportCompletedData>;

/**
 * The JSON Schema of every event type's `data`. `satisfies` makes a new
 * entry in `EventTypes` without its schema here fail to compile.
 */
export const EventDataSchemas = {
  [EventTypes.clientCreated]: ClientCreatedData,
  [EventTypes.clientUpdated]: ClientUpdatedData,
  [EventTypes.clientActivated]: ClientStatusChangedData,
  [EventTypes.clientDeactivated]: ClientStatusChangedData,
  [EventTypes.relationshipEnded]: RelationshipEndedData,
  [EventTypes.ownerInvited]: OwnerInvitedData,
  [EventTypes.ownerInvitationResent]: OwnerInvitationResentData,
  [EventTypes.ownerInvitationRevoked]: OwnerInvitationClosedData,
  [EventTypes.ownerActivated]: OwnerActivatedData,
  [EventTypes.ownerInvitationExpired]: OwnerInvitationClosedData,
  [EventTypes.ownerRemoved]: OwnerRemovedData,
  [EventTypes.relationshipRequested]: RelationshipRequestedData,
  [EventTypes.relationshipAccepted]: RelationshipDecidedData,
  [EventTypes.relationshipDeclined]: RelationshipDecidedData,
  [EventTypes.licenseAssigned]: LicenseAssignedData,
  [EventTypes.licenseChanged]: LicenseChangedData,
  [EventTypes.licenseEnded]: LicenseEndedData,
  [EventTypes.clientFormUpdated]: ClientFormUpdatedData,
  [EventTypes.clientImportCompleted]: ClientImportCompletedData,
} as const satisfies { readonly [K in EventType]: TSchema };

/** The `data` type of an event type, e.g. `EventData<'accounts.client.created'>`. */
export type EventData<K extends EventType> = Static<(typeof EventDataSchemas)[K]>;
