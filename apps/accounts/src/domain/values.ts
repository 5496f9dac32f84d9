/** A setting sent as null means "the default". */
export function withoutNulls<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined)) as Partial<T>;
}

/** "12.5" → "12.50"; exact, no floating point on the way. */
export function normalizeDecimal(value: string): string {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = value.replace('-', '').split('.');
  const normalized = `${BigInt(whole).toString()}.${fraction.padEnd(2, '0')}`;
  return negative && normalized !== '0.00' ? `-${normalized}` : normalized;
}

/** `pt-br` → `pt-BR`. */
export function canonicalLanguage(tag: string): string {
  return Intl.getCanonicalLocales(tag)[0];
}
