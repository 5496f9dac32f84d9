import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { InvitationPreview } from '@clientele/contracts';
import { NotFoundError } from '../../domain/domain-error';
import { Invitation } from '../../domain/invitation.entity';
import { hashSecretToken } from '../../domain/secret-token';
import { PreviewInvitationQuery } from './preview-invitation.query';

/** Whom an invitation is for, before accepting: 404 unknown, 410 used, expired or withdrawn. */
@QueryHandler(PreviewInvitationQuery)
export class PreviewInvitationHandler implements IQueryHandler<PreviewInvitationQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ token }: PreviewInvitationQuery): Promise<InvitationPreview> {
    const invitation = await this.em.findOne(Invitation, { tokenHash: hashSecretToken(token) });
    if (!invitation) throw new NotFoundError('invitation');
    invitation.assertOpen(new Date());
    const [row] = await this.em.execute<{ account_name: string; company_name: string; email: string; invited_by: string | null }[]>(
      `select a.account_name, a.company_name, u.email,
              (select p.company_name from accounts.relationship r join accounts.account p on p.id = r.parent_id
                where r.client_id = a.id and r.status = 'active' order by r.created_at limit 1) as invited_by
         from accounts.account a join accounts."user" u on u.id = ? where a.id = ?`,
      [invitation.userId, invitation.accountId],
    );
    return {
      accountName: row.account_name,
      companyName: row.company_name,
      invitedBy: row.invited_by,
      ownerEmail: maskEmail(row.email),
      expiresAt: invitation.expiresAt!.toISOString(),
    };
  }
}

/** `carla.bianchi@globex.example` → `c***i@globex.example`. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  const shown = local.length <= 2 ? `${local[0]}*` : `${local[0]}***${local[local.length - 1]}`;
  return `${shown}@${domain}`;
}
