import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import type { FieldError } from '../errors';

/** The validator options both edges use: unknown fields are errors, all errors listed. */
export const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: true },
} as const;

/** Flattens nested class-validator errors into `{ field, message }` pairs with dotted paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    if (error.constraints?.whitelistValidation) {
      out.push({ field, message: `${field} is not a known field` });
    } else if (messages.length && error.value === undefined) {
      out.push({ field, message: `${field} is required` });
    } else if (messages.length && error.value === null) {
      out.push({ field, message: `${field} must not be null` });
    } else {
      for (const message of messages) out.push({ field, message: message.replace(error.property, field) });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * Rules checking what kind of value a field holds, which the other rules assume.
 */
const TYPE_CHECKS = new Set(['isInt', 'isNumber', 'isString', 'isBoolean', 'isArray', 'isObject', 'isDate', 'isEnum', 'isUUID', 'isEmail']);

/**
 * A field's rules run in the order their decorators were applied, the one
 * nearest the field first, and only the first that fails is reported
 * (`stopAtFirstError`). Written `@IsInt() @Min(1) @Max(200)`, `limit=abc` was
 * answered "limit must not be greater than 200". A field's type checks go
 * first; the fields, and each field's other rules, keep their order.
 */
function typeChecksFirst<T>(rules: T[]): T[] {
  const byField = new Map<string, { checks: T[]; others: T[] }>();
  for (const rule of rules) {
    const { name, propertyName } = rule as { name?: string; propertyName: string };
    let field = byField.get(propertyName);
    if (!field) byField.set(propertyName, (field = { checks: [], others: [] }));
    (TYPE_CHECKS.has(name ?? '') ? field.checks : field.others).push(rule);
  }
  return [...byField.values()].flatMap(({ checks, others }) => [...checks, ...others]);
}

/**
 * class-validator looks up a class's rules on every validation by scanning
 * every class it knows for parents (an `instanceof` per class), for each
 * nested object too: a measurable share of a request's CPU at both edges.
 * A class's rules are complete once it is defined (its decorators and its
 * parents' have run), so the answer for a class, with no groups, is kept.
 * A nested object is looked up with its parent class's name as the schema
 * (class-validator's own convention), so the answer is kept per schema too.
 * Every answer has each field's type checks first (`typeChecksFirst`).
 */
function rememberRules(): void {
  const storage = getMetadataStorage() as unknown as {
    getTargetValidationMetadatas(target: unknown, schema: string | undefined, always: boolean, strictGroups: boolean, groups?: string[]): unknown[];
    rulesRemembered?: true;
  };
  if (storage.rulesRemembered) return;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const remembered = new Map<unknown, Map<string, unknown[]>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups?.length || always || strictGroups) return typeChecksFirst(lookup(target, schema, always, strictGroups, groups));
    let bySchema = remembered.get(target);
    if (!bySchema) remembered.set(target, (bySchema = new Map()));
    let rules = bySchema.get(schema ?? '');
    if (!rules) bySchema.set(schema ?? '', (rules = typeChecksFirst(lookup(target, schema, always, strictGroups, groups))));
    return rules;
  };
  storage.rulesRemembered = true;
}
rememberRules();

/**
 * Turns a plain object into a validated contract instance. Returns the field
 * errors instead of throwing so each edge can map them its own way.
 */
export function validateContract<T extends object>(
  cls: new () => T,
  plain: unknown,
): { value: T; errors: FieldError[] } {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { value: undefined as unknown as T, errors: [{ field: '', message: 'body must be a JSON object' }] };
  }
  // Keys that name the object machinery are never fields, and class-transformer trips over them.
  const unsafe = unsafeShape(plain);
  if (unsafe.length) return { value: undefined as unknown as T, errors: unsafe };
  const value = plainToInstance(cls, plain, { enableImplicitConversion: false });
  return { value, errors: flattenValidationErrors(validateSync(value, VALIDATOR_OPTIONS)) };
}

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 16;

/**
 * Reserved keys anywhere in a parsed JSON value, nesting deeper than any
 * contract has, and text with a NUL character (which PostgreSQL cannot store
 * in a text column: refused here, not failed there).
 */
function unsafeShape(value: unknown, parent = '', depth = 0): FieldError[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [{ field: parent, message: `${parent} must not contain the NUL character` }] : [];
  if (value === null || typeof value !== 'object') return [];
  if (depth > MAX_DEPTH) return [{ field: parent, message: `${parent} is nested too deeply` }];
  const found: FieldError[] = [];
  for (const [key, child] of Object.entries(value)) {
    const field = parent ? `${parent}.${key}` : key;
    if (RESERVED.has(key)) found.push({ field, message: `${field} is not a known field` });
    else found.push(...unsafeShape(child, field, depth + 1));
  }
  return found;
}
