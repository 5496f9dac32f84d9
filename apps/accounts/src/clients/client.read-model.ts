import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { queryPrepared } from '../shared/prepared';
import { toClientResponse, type ClientRecord } from './client.view';
import type { ClientResponse } from '@clientele/contracts';

/** Reads the full client answer straight from SQL (queries skip the domain). */
@Injectable()
export class ClientReadModel {
  constructor(private readonly em: EntityManager) {}

  async findOne(id: string, options: { withAdminNotes: boolean }): Promise<ClientResponse | null> {
    const [row] = await queryPrepared<ClientRecord>(this.em, `${clientSelect()} where a.id = ?`, [id]);
    return row ? toClientResponse(row, options) : null;
  }

  /**
   * The client and, in the same query, whether `viewerId` is its direct
   * parent (the common case of a read: one round trip to the database, not
   * two). Who else may see it is ClientAccess's question.
   */
  async findWithParentCheck(id: string, viewerId: string): Promise<{ row: ClientRecord; viewerIsParent: boolean } | null> {
    const [row] = await queryPrepared<ClientRecord & { viewer_is_parent: boolean }>(
      this.em,
      `${clientSelect(`exists (select 1 from accounts.relationship r where r.parent_id = ? and r.client_id = a.id and r.status = 'active') as viewer_is_parent,`)}
        where a.id = ?`,
      [viewerId, id],
    );
    return row ? { row, viewerIsParent: row.viewer_is_parent } : null;
  }
}

/** The full client answer in one statement: the account, its owner with the latest invitation, its active licences. */
const clientSelect = (extraColumns = '') => `select a.id, a.type, a.account_name as "accountName", a.company_name as "companyName",
        a.unique_identifier as "uniqueIdentifier", a.billing_emails as "billingEmails", a.status, a.address, a.phone, a.language,
        a.currency, a.emergency_contact_email as "emergencyContactEmail", a.settings, a.credit_balance as "creditBalance",
        a.admin_notes as "adminNotes", a.created_at as "createdAt", a.updated_at as "updatedAt", a.version, ${extraColumns}
        (select json_build_object(
            'id', u.id, 'firstName', u.first_name, 'lastName', u.last_name, 'email', u.email,
            'role', u.role, 'status', u.status,
            'invitation', (select json_build_object('status', i.status, 'sendAt', i.send_at, 'sentAt', i.sent_at, 'expiresAt', i.expires_at)
                           from accounts.invitation i where i.user_id = u.id order by i.created_at desc limit 1))
         from accounts."user" u where u.account_id = a.id and u.is_owner order by u.created_at limit 1) as owner,
        coalesce((select json_agg(json_build_object('id', l.id, 'planId', l.plan_id, 'units', l.units,
                    'startDate', to_char(l.start_date, 'YYYY-MM-DD'), 'status', l.status) order by l.created_at)
                  from accounts.license l where l.account_id = a.id and l.status = 'active'), '[]') as licenses
       from accounts.account a`;
