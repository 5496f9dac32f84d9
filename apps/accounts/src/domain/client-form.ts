import { CLIENT_FORM_FIELDS, type ClientFormDefaults, type ClientFormField } from '@clientele/contracts';

/**
 * A partner's rules for the optional fields of its clients (seed 003), kept
 * on its account: the fields its clients must have, and the values a new
 * client gets for fields its create leaves out.
 */
export interface ClientForm {
  required: ClientFormField[];
  defaults: ClientFormDefaults;
}

/** What an account asks of its clients until it says otherwise: nothing. */
export function emptyClientForm(): ClientForm {
  return { required: [], defaults: {} };
}

/** A value counts as given when it is there and not null, a blank text or an empty list. */
function isGiven(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** The value at a dotted path (`address.line1`, `settings.taxExempt`); undefined where the path is absent. */
function valueAt(source: object, path: string): unknown {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The required fields a new client's values do not give (its values with the defaults already in). */
export function missingFrom(required: readonly ClientFormField[], values: object): ClientFormField[] {
  return required.filter((field) => !isGiven(valueAt(values, field)));
}

/** The fields of `among` a JSON merge patch clears: present in it, and null, a blank text or an empty list. */
export function clearedBy(patch: object, among: readonly ClientFormField[] = CLIENT_FORM_FIELDS): ClientFormField[] {
  return among.filter((field) => {
    const value = valueAt(patch, field);
    return value !== undefined && !isGiven(value);
  });
}
