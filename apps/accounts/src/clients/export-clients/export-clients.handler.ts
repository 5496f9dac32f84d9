import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { AccountType, ClientExportRecord, ClientStatus, OwnerStatus, Page } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import type { Address } from '../../domain/account.entity';
import { encodeCursor } from '../../shared/cursor';
import { queryPrepared } from '../../shared/prepared';
import { isoUtc } from '../../shared/sql-time';
import { addressView } from '../client.view';
import { clientPageSql } from '../list-clients/client-filter';
import { ExportClientsQuery } from './export-clients.query';

/** Rows read per page: a page of the export is one NATS reply. */
const PAGE_ROWS = 1_000;
/** A reply stays under NATS's default 1 MB message: a page of long rows (admin notes) ends early. */
const PAGE_BYTES = 768 * 1024;

interface Row {
  sort_key: string;
  id: string;
  type: AccountType;
  account_name: string;
  company_name: string;
  unique_identifier: string | null;
  phone: string | null;
  language: string;
  currency: string;
  emergency_contact_email: string | null;
  billing_emails: string[];
  address: Address;
  admin_notes: string | null;
  status: ClientStatus;
  created_at: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  owner_status: OwnerStatus | null;
  has_invitation: boolean;
  scheduled_send_at: string | null;
}

/**
 * A page of the CSV export: the clients of the JSON list (same filters, sort
 * and cursor), each with every column the export writes, read in one
 * statement. Admin notes only for the clients' direct parent.
 */
@QueryHandler(ExportClientsQuery)
export class ExportClientsHandler implements IQueryHandler<ExportClientsQuery> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
  ) {}

  async execute({ caller, filter }: ExportClientsQuery): Promise<Page<ClientExportRecord>> {
    const { accountId: own } = this.access.requireAccountCaller(caller);
    const accountId = filter.parent ?? own;
    await this.access.requireCanListClientsOf(caller, accountId);
    const page = clientPageSql(accountId, filter);
    const rows = await queryPrepared<Row>(
      this.em,
      `select ${page.sortKey}::text as sort_key, r.client_id as id, a.type, a.account_name, a.company_name, a.unique_identifier,
              a.phone, a.language, a.currency, a.emergency_contact_email, a.billing_emails, a.address, a.admin_notes, a.status, a.created_at,
              o.first_name, o.last_name, o.email, o.status as owner_status, i.send_mode is not null as has_invitation,
              case when i.status = 'scheduled' and i.send_mode = 'scheduled' and i.send_at > now() then i.send_at end as scheduled_send_at
         from accounts.relationship r join accounts.account a on a.id = r.client_id
         left join lateral (select u.id, u.first_name, u.last_name, u.email, u.status from accounts."user" u
                             where u.account_id = a.id and u.is_owner order by u.created_at limit 1) o on true
         left join lateral (select i.send_mode, i.status, i.send_at from accounts.invitation i
                             where i.user_id = o.id order by i.created_at desc limit 1) i on true
        where ${page.where}
        order by ${page.orderBy}
        limit ${PAGE_ROWS + 1}`,
      page.params,
    );
    const withAdminNotes = accountId === own;
    const records = rows.slice(0, PAGE_ROWS).map((row) => exportRecord(row, withAdminNotes));
    // As many rows as fit in one reply (at least one); the cursor goes on from the last one kept.
    let fit = 0;
    for (let bytes = 0; fit < records.length; fit += 1) {
      bytes += Buffer.byteLength(JSON.stringify(records[fit])) + 1;
      if (bytes > PAGE_BYTES && fit > 0) break;
    }
    const last = rows[fit - 1];
    return {
      data: records.slice(0, fit),
      nextCursor: fit < rows.length && last ? encodeCursor({ sort: page.sort, value: last.sort_key, id: last.id }) : null,
    };
  }
}

/** What an import would ask for to invite the owner the same way: a send still scheduled, or none for an owner left uninvited. */
function invitationOf(row: Row): ClientExportRecord['invitation'] {
  if (row.scheduled_send_at) return { send: 'scheduled', sendAt: isoUtc(row.scheduled_send_at) };
  if (row.owner_status === 'invited' && !row.has_invitation) return { send: 'none', sendAt: null };
  return null;
}

function exportRecord(row: Row, withAdminNotes: boolean): ClientExportRecord {
  return {
    id: row.id,
    type: row.type,
    accountName: row.account_name,
    companyName: row.company_name,
    uniqueIdentifier: row.unique_identifier,
    phone: row.phone,
    language: row.language,
    currency: row.currency.trim(),
    emergencyContactEmail: row.emergency_contact_email,
    billingEmails: row.billing_emails,
    address: addressView(row.address),
    owner: row.email ? { firstName: row.first_name!, lastName: row.last_name!, email: row.email, status: row.owner_status! } : null,
    invitation: invitationOf(row),
    ...(withAdminNotes ? { adminNotes: row.admin_notes } : {}),
    status: row.status,
    createdAt: isoUtc(row.created_at),
  };
}
