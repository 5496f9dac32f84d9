import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { MintedInvitationLink, MintedInvitationLinks, RpcErrorBody } from '@clientele/contracts';
import { expectedErrorBody } from '@clientele/messaging';
import { AccountsConfig } from '../../config';
import { NotFoundError } from '../../domain/domain-error';
import { Invitation } from '../../domain/invitation.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
import { queryPrepared } from '../../shared/prepared';
import { requireNotificationsService } from '../../access/service-caller';
import { MintInvitationLinksCommand } from './mint-invitation-links.command';

/**
 * Fresh links for the e-mails notifications is about to send, a batch at a
 * time in one transaction (a mint per e-mail was most of an e-mail's cost).
 * The tokens leave accounts only on this reply, never on the event stream;
 * each hash replaces the previous one, so older links stop working. An
 * invitation that can no longer be sent (accepted, revoked, expired, gone)
 * gets its refusal in its place; the others are minted regardless.
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
      // The invitations are changed (entities, flushed with their version check); what the e-mail says of
      // the owner, the account and who invited them is only read: one statement, no entities to hydrate
      // and compare at the flush.
      const [invitations, details] = await Promise.all([
        em.find(Invitation, { id: { $in: ids } }),
        queryPrepared<LinkDetails>(em, LINK_DETAILS, [ids]),
      ]);
      const invitationById = new Map(invitations.map((i) => [i.id, i]));
      const detailsOf = new Map(details.map((d) => [d.invitation_id, d]));
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

interface LinkDetails {
  invitation_id: string;
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

/** Per invitation: its owner, its account, and the company that invited them. */
const LINK_DETAILS = `select i.id as invitation_id, a.id as account_id, a.language, a.account_name, a.company_name,
         u.email, u.first_name, u.last_name,
         (select p.company_name from accounts.relationship r join accounts.account p on p.id = r.parent_id
           where r.client_id = a.id and r.status = 'active' order by r.created_at limit 1) as inviter
    from accounts.invitation i
    join accounts."user" u on u.id = i.user_id
    join accounts.account a on a.id = i.account_id
   where i.id = any(?::uuid[])`;

function refusal({ code, status, message }: RpcErrorBody): RpcErrorBody {
  return { code, status, message };
}
