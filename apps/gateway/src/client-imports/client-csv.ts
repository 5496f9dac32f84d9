import type { ClientExportRecord } from '@clientele/contracts';
import type { CsvCell } from '../http/csv';

/** The columns of an import file, in the order the export and the template write them. */
export const IMPORT_COLUMNS = [
  'accountName', 'companyName', 'type', 'uniqueIdentifier', 'phone', 'language', 'currency', 'emergencyContactEmail', 'billingEmails',
  'address.country', 'address.region', 'address.city', 'address.line1', 'address.line2', 'address.postalCode',
  'owner.firstName', 'owner.lastName', 'owner.email', 'invitation.send', 'invitation.sendAt', 'adminNotes',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Columns an import file must have: the client body's required fields. Every other column may be left out. */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = [
  'accountName', 'companyName', 'address.country', 'address.region', 'address.city', 'owner.firstName', 'owner.lastName', 'owner.email',
];

/** What the export adds; an import of an export reads `status` (as `active`) and skips the rest. */
export const EXPORT_ONLY_COLUMNS = ['id', 'status', 'owner.status', 'createdAt'] as const;
export const EXPORT_COLUMNS = [...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS] as const;

/** Every column an import file may have. */
export const KNOWN_COLUMNS: ReadonlySet<string> = new Set<string>(EXPORT_COLUMNS);

/** `billingEmails` holds several addresses in one cell. */
const LIST_SEPARATOR = ';';

/** The template partners start from: the header and one example row. */
export const TEMPLATE_ROWS: readonly (readonly string[])[] = [
  [...IMPORT_COLUMNS],
  [
    'globex', 'Globex S.p.A.', 'customer', 'IT12345678901', '+390612345678', 'it', 'EUR', 'emergency@globex.example',
    'billing@globex.example;accounts@globex.example', 'IT', 'Lazio', 'Roma', 'Via del Corso 1', '', '00186',
    'Carla', 'Bianchi', 'carla@globex.example', 'now', '', 'Imported from the old CRM',
  ],
];

/**
 * A CSV row (cells by column, already un-neutralized) as the body of a
 * client create: an empty cell is an absent field, `address` and `owner`
 * are always there (so a missing cell is named, e.g. `address.city`), the
 * invitation only when one of its cells is filled.
 */
export function clientBodyOfRow(cells: ReadonlyMap<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const address: Record<string, string> = {};
  const owner: Record<string, string> = {};
  const invitation: Record<string, string> = {};
  const nested: Record<string, Record<string, string>> = { address, owner, invitation };
  for (const [column, cell] of cells) {
    if (cell === '') continue;
    const dot = column.indexOf('.');
    if (column === 'billingEmails') {
      body.billingEmails = cell.split(LIST_SEPARATOR).map((email) => email.trim()).filter(Boolean);
    } else if (column === 'status') {
      // The export's `status` is the body's `active` switch; anything but its two values is refused by the row's checks.
      body.active = cell === 'active' ? true : cell === 'inactive' ? false : cell;
    } else if ((EXPORT_ONLY_COLUMNS as readonly string[]).includes(column)) {
      continue;
    } else if (dot > 0) {
      nested[column.slice(0, dot)][column.slice(dot + 1)] = cell;
    } else {
      body[column] = cell;
    }
  }
  body.address = address;
  body.owner = owner;
  if (Object.keys(invitation).length) body.invitation = invitation;
  return body;
}

/** A client as one export row, in `EXPORT_COLUMNS` order. */
export function rowOfClient(client: ClientExportRecord): CsvCell[] {
  const { address, owner, invitation } = client;
  return [
    client.accountName, client.companyName, client.type, client.uniqueIdentifier, client.phone, client.language, client.currency,
    client.emergencyContactEmail, client.billingEmails.join(LIST_SEPARATOR),
    address.country, address.region, address.city, address.line1, address.line2, address.postalCode,
    owner?.firstName, owner?.lastName, owner?.email, invitation?.send, invitation?.sendAt, client.adminNotes,
    client.id, client.status, owner?.status, client.createdAt,
  ];
}
