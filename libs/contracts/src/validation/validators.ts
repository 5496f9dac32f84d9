import { ValidateIf, ValidationOptions, registerDecorator, ValidationArguments } from 'class-validator';

/** A BCP 47 language tag (`en`, `es`, `pt-BR`, `it`, ...). */
export function IsBcp47(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBcp47',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a BCP 47 language tag such as en or pt-BR', ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || value.length > 35) return false;
          try {
            return Intl.getCanonicalLocales(value).length === 1;
          } catch {
            return false;
          }
        },
      },
    });
}

/** An ISO 8601 instant that lies in the future when validated. */
export function IsFutureInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isFutureInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO 8601 time in the future', ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          const t = Date.parse(value);
          return Number.isFinite(t) && t > Date.now();
        },
      },
    });
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a date YYYY-MM-DD', ...options },
      validator: {
        validate(value: unknown, _args: ValidationArguments) {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const d = new Date(`${value}T00:00:00Z`);
          return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
        },
      },
    });
}

export const E164 = /^\+[1-9]\d{6,14}$/;
export const DECIMAL_2 = /^-?\d{1,13}(\.\d{1,2})?$/;

/**
 * Merge-patch fields that may be left out but not set to null (null would
 * delete a required value): validated whenever present.
 */
export function NotNullWhenPresent(): PropertyDecorator {
  return ValidateIf((_object: unknown, value: unknown) => value !== undefined);
}
