import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { queryPrepared } from '../shared/prepared';
import { isoUtc } from '../shared/sql-time';
import { addressView, settingsView } from './client.view';
import type { ClientResponse, LicenseView, OwnerView } from '@clientele/contracts';
import type { AccountSettings, Address } from '../domain/account.entity';

export interface AccountRow {
  id: string;
  type: ClientResponse['type'];
  account_name: string;
  company_name: string;
  unique_identifier: string | null;
  billing_emails: string[];
  status: ClientResponse['status'];
  address: Address;
  phone: string | null;
  language: string;
  currency: string;
  emergency_contact_email: string | null;
  settings: AccountSettings;
  credit_balance: string;
  admin_notes: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  owner: (Omit<OwnerView, 'invitation'> & { invitation: OwnerView['invitation'] }) | null;
  licenses: LicenseView[];
}

/** Reads the full client answer straight from SQL (queries skip the domain). */
@Injectable()
export class ClientReadModel {
  constructor(private readonly em: EntityManager) {}

  async findOne(id: string, options: { withAdminNotes: boolean }): Promise<ClientResponse | null> {
    const [row] = await queryPrepared<AccountRow>(this.em, `${clientSelect()} where a.id = ?`, [id]);
    return row ? toClientResponse(row, options.withAdminNotes) : null;
  }

  /**
   * The client and, in the same query, whether `viewerId` is its direct
   * parent (the common case of a read: one round trip to the database, not
   * two). Who else may see it is ClientAccess's question.
   */
  async findWithParentCheck(id: string, viewerId: string): Promise<{ row: AccountRow; viewerIsParent: boolean } | null> {
    const [row] = await queryPrepared<AccountRow & { viewer_is_parent: boolean }>(
      this.em,
      `${clientSelect(`exists (select 1 from accounts.relationship r where r.parent_id = ? and r.client_id = a.id and r.status = 'active') as viewer_is_parent,`)}
        where a.id = ?`,
      [viewerId, id],
    );
    return row ? { row, viewerIsParent: row.viewer_is_parent } : null;
  }
}

/** The full client answer in one statement: the account, its owner with the latest invitation, its active licences. */
const clientSelect = (extraColumns = '') => `select a.id, a.type, a.account_name, a.company_name, a.unique_identifier, a.billing_emails,
        a.status, a.address, a.phone, a.language, a.currency, a.emergency_contact_email, a.settings, a.credit_balance,
        a.admin_notes, a.created_at, a.updated_at, a.version, ${extraColumns}
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

export function toClientResponse(row: AccountRow, withAdminNotes: boolean): ClientResponse {
  const owner = row.owner
    ? {
        ...row.owner,
        invitation: row.owner.invitation
          ? {
              status: row.owner.invitation.status,
              sendAt: iso(row.owner.invitation.sendAt),
              sentAt: iso(row.owner.invitation.sentAt),
              expiresAt: iso(row.owner.invitation.expiresAt),
            }
          : null,
      }
    : null;
  return {
    id: row.id,
    type: row.type,
    accountName: row.account_name,
    companyName: row.company_name,
    uniqueIdentifier: row.unique_identifier,
    billingEmails: row.billing_emails,
    active: row.status === 'active',
    status: row.status,
    address: addressView(row.address),
    phone: row.phone,
    language: row.language,
    currency: row.currency.trim(),
    emergencyContactEmail: row.emergency_contact_email,
    settings: settingsView(row.settings),
    creditBalance: row.credit_balance,
    ...(withAdminNotes ? { adminNotes: row.admin_notes } : {}),
    owner,
    servicePlans: row.licenses,
    createdAt: isoUtc(row.created_at),
    updatedAt: isoUtc(row.updated_at),
    version: row.version,
  };
}

const iso = (value: string | null): string | null => (value ? isoUtc(value) : null);
