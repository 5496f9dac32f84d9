import type { ClientFormResponse, ClientSettings, InvitationSendMode } from '@clientele/contracts';

/** The switches of a client's billing settings (seed 003), in the order the form shows them. */
export const SETTING_SWITCHES = [
  'taxExempt', 'lateFeesExempt', 'overdueNotices', 'separateInvoices',
  'disableCardProcessing', 'marketingOptOut', 'autoStatusUpdate', 'allowSingleSignOn',
] as const;
export type SettingSwitch = (typeof SETTING_SWITCHES)[number];
/** The settings that are text. */
export const SETTING_TEXTS = ['paymentMethod', 'billingContact', 'clientGroup'] as const;
export type SettingText = (typeof SETTING_TEXTS)[number];

/** The body's fields that are always required (API.md, "Client body"). */
export const ALWAYS_REQUIRED = [
  'accountName', 'companyName', 'address.country', 'address.region', 'address.city',
  'owner.firstName', 'owner.lastName', 'owner.email',
] as const;

export interface PlanRow {
  planId: string;
  /** As typed: the API says what is wrong with a value that is no whole number. */
  units: string;
  startDate: string;
}

/** What the Add client form holds: strings as typed, so nothing the user typed is lost on an error. */
export interface ClientFormState {
  accountName: string;
  companyName: string;
  type: 'customer' | 'reseller' | 'distributor' | 'group';
  uniqueIdentifier: string;
  /** Comma-, semicolon- or line-separated. */
  billingEmails: string;
  active: boolean;
  address: { country: string; region: string; city: string; line1: string; line2: string; postalCode: string };
  phone: string;
  language: string;
  currency: string;
  emergencyContactEmail: string;
  owner: { firstName: string; lastName: string; email: string };
  invitation: { send: InvitationSendMode; /** `datetime-local`, the browser's time zone. */ sendAt: string };
  servicePlans: PlanRow[];
  settings: Record<SettingSwitch, boolean> & Record<SettingText, string>;
  creditBalance: string;
  adminNotes: string;
}

const BUILT_IN_SETTINGS: Record<SettingSwitch, boolean> = {
  taxExempt: false, lateFeesExempt: false, overdueNotices: true, separateInvoices: false,
  disableCardProcessing: false, marketingOptOut: false, autoStatusUpdate: true, allowSingleSignOn: false,
};

/** A fresh form, filled with the account's client-form defaults where it has them (none when the setting is missing). */
export function emptyForm(defaults: ClientFormResponse['defaults'] = {}): ClientFormState {
  const given: Partial<ClientSettings> = defaults.settings ?? {};
  const switches = Object.fromEntries(
    SETTING_SWITCHES.map((key) => [key, typeof given[key] === 'boolean' ? (given[key] as boolean) : BUILT_IN_SETTINGS[key]]),
  ) as Record<SettingSwitch, boolean>;
  const texts = Object.fromEntries(SETTING_TEXTS.map((key) => [key, (given[key] as string | null | undefined) ?? ''])) as Record<SettingText, string>;
  return {
    accountName: '',
    companyName: '',
    type: 'customer',
    uniqueIdentifier: '',
    billingEmails: '',
    active: true,
    address: { country: '', region: '', city: '', line1: '', line2: '', postalCode: '' },
    phone: '',
    language: defaults.language ?? 'en',
    currency: defaults.currency ?? 'USD',
    emergencyContactEmail: '',
    owner: { firstName: '', lastName: '', email: '' },
    invitation: { send: 'now', sendAt: '' },
    servicePlans: [],
    settings: { ...switches, ...texts },
    creditBalance: '',
    adminNotes: '',
  };
}

const text = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/** `12` → 12; anything else as typed, for the API to name. */
function units(value: string): number | string {
  return /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}

/** `2026-12-24T09:30` in the browser's zone → ISO 8601 UTC; as typed when it is no date (the API names it). */
export function localToIso(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export function splitEmails(value: string): string[] {
  return value.split(/[\s,;]+/).map((item) => item.trim()).filter(Boolean);
}

/**
 * The body of `POST /v1/clients`: blank optional fields are left out (so the
 * account's defaults and its required fields apply), the always-required ones
 * are sent even when blank (so the API names each of them).
 */
export function toCreateBody(form: ClientFormState): Record<string, unknown> {
  const address = {
    country: form.address.country.trim().toUpperCase(),
    region: form.address.region.trim(),
    city: form.address.city.trim(),
    line1: text(form.address.line1),
    line2: text(form.address.line2),
    postalCode: text(form.address.postalCode),
  };
  const settings: Record<string, unknown> = { ...pick(form.settings, SETTING_SWITCHES) };
  for (const key of SETTING_TEXTS) {
    const value = text(form.settings[key]);
    if (value !== undefined) settings[key] = value;
  }
  const invitation =
    form.invitation.send === 'scheduled' ? { send: 'scheduled', sendAt: localToIso(form.invitation.sendAt) } : { send: form.invitation.send };
  const body: Record<string, unknown> = {
    accountName: form.accountName.trim(),
    companyName: form.companyName.trim(),
    type: form.type,
    uniqueIdentifier: text(form.uniqueIdentifier),
    billingEmails: splitEmails(form.billingEmails),
    active: form.active,
    address: withoutUndefined(address),
    phone: text(form.phone),
    language: text(form.language),
    currency: text(form.currency)?.toUpperCase(),
    emergencyContactEmail: text(form.emergencyContactEmail),
    owner: { firstName: form.owner.firstName.trim(), lastName: form.owner.lastName.trim(), email: form.owner.email.trim() },
    invitation,
    settings,
    creditBalance: text(form.creditBalance),
    adminNotes: text(form.adminNotes),
    servicePlans: form.servicePlans.map((row) => ({ planId: row.planId, units: units(row.units), startDate: row.startDate })),
  };
  if (!(body.billingEmails as string[]).length) delete body.billingEmails;
  if (!(body.servicePlans as unknown[]).length) delete body.servicePlans;
  return withoutUndefined(body);
}

/** The fields the form marks as required: the body's own and those the account's client form adds. */
export function requiredFields(setting: Pick<ClientFormResponse, 'required'> | null): Set<string> {
  return new Set<string>([...ALWAYS_REQUIRED, ...(setting?.required ?? [])]);
}

/** The details a client's page edits, as a form: the same fields and rules as creating it. */
export interface DetailsState {
  accountName: string;
  companyName: string;
  uniqueIdentifier: string;
  billingEmails: string;
  phone: string;
  language: string;
  currency: string;
  emergencyContactEmail: string;
  address: ClientFormState['address'];
  adminNotes: string;
}

export interface ClientDetails {
  accountName: string;
  companyName: string;
  uniqueIdentifier: string | null;
  billingEmails: string[];
  phone: string | null;
  language: string;
  currency: string;
  emergencyContactEmail: string | null;
  address: { country: string; region: string; city: string; line1: string | null; line2: string | null; postalCode: string | null };
  adminNotes?: string | null;
}

export function detailsOf(client: ClientDetails): DetailsState {
  return {
    accountName: client.accountName,
    companyName: client.companyName,
    uniqueIdentifier: client.uniqueIdentifier ?? '',
    billingEmails: client.billingEmails.join(', '),
    phone: client.phone ?? '',
    language: client.language,
    currency: client.currency,
    emergencyContactEmail: client.emergencyContactEmail ?? '',
    address: {
      country: client.address.country,
      region: client.address.region,
      city: client.address.city,
      line1: client.address.line1 ?? '',
      line2: client.address.line2 ?? '',
      postalCode: client.address.postalCode ?? '',
    },
    adminNotes: client.adminNotes ?? '',
  };
}

/**
 * A JSON merge patch of what changed between the client as read and the form:
 * only changed fields go (so a field that became required since the client was
 * made does not block changing another), a cleared optional field is null.
 */
export function toPatch(before: DetailsState, after: DetailsState): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const optional = (value: string) => (value.trim() === '' ? null : value.trim());
  for (const key of ['accountName', 'companyName'] as const) if (after[key] !== before[key]) patch[key] = after[key].trim();
  for (const key of ['uniqueIdentifier', 'phone', 'emergencyContactEmail', 'adminNotes'] as const) {
    if (after[key] !== before[key]) patch[key] = optional(after[key]);
  }
  if (after.language !== before.language) patch.language = after.language.trim();
  if (after.currency !== before.currency) patch.currency = after.currency.trim().toUpperCase();
  if (after.billingEmails !== before.billingEmails) patch.billingEmails = splitEmails(after.billingEmails);
  const address: Record<string, unknown> = {};
  for (const key of ['country', 'region', 'city'] as const) {
    if (after.address[key] !== before.address[key]) address[key] = key === 'country' ? after.address[key].trim().toUpperCase() : after.address[key].trim();
  }
  for (const key of ['line1', 'line2', 'postalCode'] as const) if (after.address[key] !== before.address[key]) address[key] = optional(after.address[key]);
  if (Object.keys(address).length) patch.address = address;
  return patch;
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
