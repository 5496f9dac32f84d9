import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { MintedInvitationLink, MintedInvitationLinks, RpcErrorBody } from '@clientele/contracts';
import { expectedErrorBody } from '@clientele/messaging';
import { AccountsConfig } from '../../config';
import { NotFoundError, VersionConflictError } from '../../domain/domain-error';
import { Invitation } from '../../domain/invitation.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { queryPrepared } from '../../shared/prepared';
import { isoUtc } from '../../shared/sql-time';
import { requireNotificationsService } from '../../access/service-caller';
import { MintInvitationLinksCommand } from './mint-invitation-links.command';
import { newEntity } from '../../domain/new-entity';

/**
 * Fresh links for the e-mails notifications is about to send, a batch at a
 * time in one transaction (a mint per e-mail was most of an e-mail's cost).
 * The tokens leave accounts only on this reply, never on the event stream;
 * each hash replaces the previous one, so older links stop working. An
 * invitation that can no longer be sent (accepted, revoked, expired, gone)
 * gets its refusal in its place; the others are minted regardless.
 *
 * The invitations are domain objects deciding each link as ever, read and
 * written by two prepared statements instead of the ORM's find and flush
 * (hydrating, comparing and writing them with their values spelled into the
 * SQL was a fifth of accounts' CPU per e-mail). The write keeps optimistic
 * locking: a row whose version moved since the read fails the batch.
 */
@CommandHandler(MintInvitationLinksCommand)
export class MintInvitationLinksHandler implements ICommandHandler<MintInvitationLinksCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly config: AccountsConfig,
  ) {}

  async execute({ caller, links }: MintInvitationLinksCommand): Promise<MintedInvitationLinks> {
    requireNotificationsService(caller);
    return this.uow.run(async (em: EntityManager) => {
      const ids = links.map((l) => l.invitationId);
      // Each invitation with what the e-mail says of the owner, the account and who invited them: one statement.
      const rows = await queryPrepared<LinkRow>(em, LINKS, [ids]);
      const invitationById = new Map(rows.map((row) => [row.invitation_id, invitationOf(row)]));
      const detailsOf = new Map(rows.map((row) => [row.invitation_id, row]));
      const sentAtRead = new Map([...invitationById.values()].map((i) => [i, i.sentAt]));
      const ttlMs = this.config.invitationTtlMs;
      const now = new Date();
      const minted = new Set<Invitation>();
      // An invitation asked for twice in one batch (its invitation and its reminder) gets one link, not two
      // where the second kills the first.
      const done = new Map<string, MintedInvitationLinks['links'][number]>();
      const results = links.map(({ invitationId, purpose }): MintedInvitationLinks['links'][number] => {
        const earlier = done.get(invitationId);
        if (earlier) return earlier;
        const result = mintOne(invitationId, purpose);
        done.set(invitationId, result);
        return result;
      });
      await writeMinted(em, [...minted], (invitation) => invitation.sentAt !== sentAtRead.get(invitation));
      return { result: { links: results }, aggregates: [...minted] };

      function mintOne(invitationId: string, purpose: 'invitation' | 'reminder'): MintedInvitationLinks['links'][number] {
        const invitation = invitationById.get(invitationId);
        const found = invitation && detailsOf.get(invitationId);
        if (!invitation || !found) return { ok: false, error: refusal(expectedErrorBody(new NotFoundError('invitation'))!) };
        let token: string;
        try {
          token = invitation.mintLink(purpose, now, ttlMs);
        } catch (error) {
          const expected = expectedErrorBody(error);
          if (expected) return { ok: false, error: refusal(expected) };
          throw error;
        }
        minted.add(invitation);
        const link: MintedInvitationLink = {
          token,
          expiresAt: invitation.expiresAt!.toISOString(),
          language: found.language,
          owner: { email: found.email, firstName: found.first_name, lastName: found.last_name },
          account: { accountName: found.account_name, companyName: found.company_name },
          invitedBy: found.inviter ? { companyName: found.inviter } : null,
          clientId: found.account_id,
        };
        return { ok: true, link };
      }
    });
  }
}

interface LinkRow {
  invitation_id: string;
  user_id: string;
  status: Invitation['status'];
  send_mode: Invitation['sendMode'];
  send_at: string | null;
  sent_at: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  account_id: string;
  language: string;
  account_name: string;
  company_name: string;
  email: string;
  first_name: string;
  last_name: string;
  /** The company of the account's first active parent. */
  inviter: string | null;
}

/** Per invitation: its state, its owner, its account, and the company that invited them. */
export const LINKS = `select i.id as invitation_id, i.user_id, i.status, i.send_mode, i.send_at, i.sent_at, i.expires_at, i.created_at, i.updated_at, i.version,
         a.id as account_id, a.language, a.account_name, a.company_name,
         u.email, u.first_name, u.last_name,
         (select p.company_name from accounts.relationship r join accounts.account p on p.id = r.parent_id
           where r.client_id = a.id and r.status = 'active' order by r.created_at limit 1) as inviter
    from accounts.invitation i
    join accounts."user" u on u.id = i.user_id
    join accounts.account a on a.id = i.account_id
   where i.id = any(?::uuid[])`;

/** The invitation of a row, as a domain object (not tracked by the ORM: `writeMinted` writes what changed). */
function invitationOf(row: LinkRow): Invitation {
  const time = (value: string | null) => (value === null ? null : new Date(isoUtc(value)));
  return newEntity(Invitation, {
    id: row.invitation_id, userId: row.user_id, accountId: row.account_id, status: row.status, sendMode: row.send_mode, tokenHash: null,
    sendAt: time(row.send_at), sentAt: time(row.sent_at), expiresAt: time(row.expires_at),
    createdAt: time(row.created_at)!, updatedAt: time(row.updated_at)!, version: row.version,
  });
}

/**
 * The minted invitations' new hashes, and the window of those whose window
 * this mint started, in one statement; each row only if its version is still
 * the one read (then one more). Columns a reminder leaves alone are not written.
 */
const WRITE_MINTED = `update accounts.invitation i
     set token_hash = v.token_hash, updated_at = v.updated_at, version = i.version + 1,
         status = coalesce(v.status, i.status), sent_at = coalesce(v.sent_at, i.sent_at), expires_at = coalesce(v.expires_at, i.expires_at)
    from unnest(?::uuid[], ?::int[], ?::text[], ?::timestamptz[], ?::text[], ?::timestamptz[], ?::timestamptz[])
      as v(id, version, token_hash, updated_at, status, sent_at, expires_at)
   where i.id = v.id and i.version = v.version
  returning i.id`;

async function writeMinted(em: EntityManager, minted: Invitation[], startedWindow: (invitation: Invitation) => boolean): Promise<void> {
  if (!minted.length) return;
  const started = minted.map(startedWindow);
  const written = await queryPrepared<{ id: string }>(em, WRITE_MINTED, [
    minted.map((i) => i.id),
    minted.map((i) => i.version),
    minted.map((i) => i.tokenHash),
    minted.map((i) => i.updatedAt),
    minted.map((i, k) => (started[k] ? i.status : null)),
    minted.map((i, k) => (started[k] ? i.sentAt : null)),
    minted.map((i, k) => (started[k] ? i.expiresAt : null)),
  ]);
  // Accepted, revoked or re-sent since it was read: the batch is refused whole (the links it minted never leave).
  if (written.length !== minted.length) throw new VersionConflictError();
}

function refusal({ code, status, message }: RpcErrorBody): RpcErrorBody {
  return { code, status, message };
}
