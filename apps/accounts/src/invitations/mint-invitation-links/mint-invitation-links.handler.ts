import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { MintedInvitationLink, MintedInvitationLinks, RpcErrorBody } from '@clientele/contracts';
import { expectedErrorBody } from '@clientele/messaging';
import { AccountsConfig } from '../../config';
import { Account } from '../../domain/account.entity';
import { NotFoundError } from '../../domain/domain-error';
import { Invitation } from '../../domain/invitation.entity';
import { User } from '../../domain/user.entity';
import { UnitOfWork } from '../../outbox/unit-of-work';
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
      const invitations = await em.find(Invitation, { id: { $in: links.map((l) => l.invitationId) } });
      const accountIds = [...new Set(invitations.map((i) => i.accountId))];
      const [owners, accounts, inviters] = accountIds.length
        ? await Promise.all([
            em.find(User, { id: { $in: invitations.map((i) => i.userId) } }),
            em.find(Account, { id: { $in: accountIds } }),
            em.execute<{ client_id: string; company_name: string }[]>(
              `select distinct on (r.client_id) r.client_id, p.company_name
                 from accounts.relationship r join accounts.account p on p.id = r.parent_id
                where r.client_id in (?) and r.status = 'active' order by r.client_id, r.created_at`,
              [accountIds],
            ),
          ])
        : [[], [], []];
      const invitationById = new Map(invitations.map((i) => [i.id, i]));
      const ownerById = new Map(owners.map((u) => [u.id, u]));
      const accountById = new Map(accounts.map((a) => [a.id, a]));
      const inviterOf = new Map(inviters.map((r) => [r.client_id, r.company_name]));
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
        const owner = invitation && ownerById.get(invitation.userId);
        const account = invitation && accountById.get(invitation.accountId);
        if (!invitation || !owner || !account) return { ok: false, error: refusal(expectedErrorBody(new NotFoundError('invitation'))!) };
        let token: string;
        try {
          token = invitation.mintLink(purpose, now, ttlMs);
        } catch (error) {
          const expected = expectedErrorBody(error);
          if (expected) return { ok: false, error: refusal(expected) };
          throw error;
        }
        minted.add(invitation);
        const companyName = inviterOf.get(account.id);
        const link: MintedInvitationLink = {
          token,
          expiresAt: invitation.expiresAt!.toISOString(),
          language: account.language,
          owner: { email: owner.email, firstName: owner.firstName, lastName: owner.lastName },
          account: { accountName: account.accountName, companyName: account.companyName },
          invitedBy: companyName ? { companyName } : null,
          clientId: account.id,
        };
        return { ok: true, link };
      }
    });
  }
}

function refusal({ code, status, message }: RpcErrorBody): RpcErrorBody {
  return { code, status, message };
}
