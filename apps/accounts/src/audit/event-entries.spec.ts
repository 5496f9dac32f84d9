import { EventTypes } from '@clientele/contracts';
import type { DomainEvent } from '../domain/aggregate';
import { Invitation } from '../domain/invitation.entity';
import { entriesOfEvents } from './event-entries';

const CLIENT = '0190a5d2-7c1e-7b3a-9f00-00000000c11e';
const PARENT = '0190a5d2-7c1e-7b3a-9f00-0000000a7e47';
const USER = '0190a5d2-7c1e-7b3a-9f00-0000000005e7';

const event = (type: DomainEvent['type'], subject: string, data: object, audit?: DomainEvent['audit']): DomainEvent => ({ type, subject, data, audit });

describe('entriesOfEvents', () => {
  it('makes one entry of a creation that also invites the owner, named after the first event', () => {
    const entries = entriesOfEvents([
      event(EventTypes.clientCreated, CLIENT, { clientId: CLIENT, parentId: PARENT, accountName: 'Acme' }),
      event(EventTypes.ownerInvited, CLIENT, { clientId: CLIENT, userId: USER }),
    ]);

    expect(entries).toEqual([{ accountId: CLIENT, action: 'client.created', target: { type: 'client', id: CLIENT, name: 'Acme' }, changes: {} }]);
  });

  it("merges the changes of one thing's events: an update that also switches the client off is one entry", () => {
    const entries = entriesOfEvents([
      event(EventTypes.clientUpdated, CLIENT, { clientId: CLIENT }, { name: 'Acme', changes: { phone: { from: null, to: '+34600000000' } } }),
      event(EventTypes.clientDeactivated, CLIENT, { clientId: CLIENT }, { name: 'Acme', changes: { status: { from: 'active', to: 'inactive' } } }),
    ]);

    expect(entries).toEqual([
      {
        accountId: CLIENT,
        action: 'client.updated',
        target: { type: 'client', id: CLIENT, name: 'Acme' },
        changes: { phone: { from: null, to: '+34600000000' }, status: { from: 'active', to: 'inactive' } },
      },
    ]);
  });

  it('makes one entry per thing changed: a sweep that expires two invitations leaves two', () => {
    const other = '0190a5d2-7c1e-7b3a-9f00-00000000c12e';
    const events = [
      ...Invitation.expiryEvents({ id: 'i1', accountId: CLIENT, userId: USER }),
      ...Invitation.expiryEvents({ id: 'i2', accountId: other, userId: USER }),
    ];

    expect(entriesOfEvents(events).map((e) => [e.accountId, e.action, e.target.type])).toEqual([
      [CLIENT, 'owner.invitation-expired', 'user'],
      [other, 'owner.invitation-expired', 'user'],
    ]);
  });

  it("puts an ended relationship in the parent's trail: the client is out of its reach afterwards", () => {
    const [entry] = entriesOfEvents([event(EventTypes.relationshipEnded, 'r1', { relationshipId: 'r1', parentId: PARENT, clientId: CLIENT })]);

    expect(entry).toMatchObject({ accountId: PARENT, action: 'relationship.ended', target: { type: 'client', id: CLIENT } });
  });
});
