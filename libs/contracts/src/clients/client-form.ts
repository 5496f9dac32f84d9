import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsISO4217CurrencyCode,
  IsObject,
  IsOptional,
  ValidateNested,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { IsBcp47, NotNullWhenPresent } from '../validation/validators';
import { CLIENT_SETTING_KEYS, type ClientSettings } from './client-settings';
import { ClientSettingsDto } from './create-client.request';

/**
 * The optional fields of the client body a partner may make required for its
 * clients (`PUT /v1/account/client-form`), named as `errors[].field` names
 * them: one per optional field, one per billing switch.
 */
export const CLIENT_FORM_FIELDS = [
  'phone',
  'uniqueIdentifier',
  'emergencyContactEmail',
  'billingEmails',
  'address.line1',
  'address.line2',
  'address.postalCode',
  'language',
  'currency',
  'creditBalance',
  'adminNotes',
  ...CLIENT_SETTING_KEYS.map((key) => `settings.${key}` as const),
] as const;
export type ClientFormField = (typeof CLIENT_FORM_FIELDS)[number];

const KNOWN_FIELDS = new Set<string>(CLIENT_FORM_FIELDS);

/** The message of every field a client lacks that its parent's form requires. */
export const REQUIRED_BY_ACCOUNT_SETTINGS = "is required by your account's settings";

/** What fills a new client's fields when the create leaves them out. */
export interface ClientFormDefaults {
  language?: string;
  currency?: string;
  settings?: Partial<ClientSettings>;
}

/** A partner's client form: the answer of `GET`/`PUT /v1/account/client-form`. */
export interface ClientFormResponse {
  required: ClientFormField[];
  defaults: ClientFormDefaults;
}

/** Each item one of CLIENT_FORM_FIELDS; the message names the ones that are not. */
function AreClientFormFields(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'areClientFormFields',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        // Built for every failed decorator of the property, so also when the value is no list at all.
        message: ({ value }: ValidationArguments) => {
          if (!Array.isArray(value)) return 'required must be a list of client field paths';
          const unknown = value.filter((item) => typeof item !== 'string' || !KNOWN_FIELDS.has(item));
          return `required names fields the client form does not have: ${unknown.map((item) => JSON.stringify(item)).join(', ')}`;
        },
      },
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string' && KNOWN_FIELDS.has(item)),
      },
    });
}

export class ClientFormDefaultsDto implements ClientFormDefaults {
  @ApiPropertyOptional({ example: 'es', description: 'BCP 47; a new client without `language` gets it' })
  @IsOptional() @IsBcp47()
  language?: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217; a new client without `currency` gets it' })
  @IsOptional() @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({ type: ClientSettingsDto, description: 'Billing switches a new client gets for those it leaves out' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ClientSettingsDto)
  settings?: ClientSettingsDto;
}

/**
 * The whole client form (`PUT` replaces it: a member left out is empty).
 * `required` names the optional client fields this account's clients must
 * have; `defaults` fill fields a create leaves out, before that check.
 */
export class ClientFormRequest {
  @ApiPropertyOptional({
    type: [String],
    enum: CLIENT_FORM_FIELDS,
    default: [],
    description:
      'Optional client fields that become required for the clients you create (and every import row) and that a PATCH of your client may not set to null. ' +
      'An empty `billingEmails` list, a blank text and a null billing switch count as missing. Each name once.',
  })
  @NotNullWhenPresent() @IsArray() @ArrayUnique({ message: 'required must name each field once' }) @AreClientFormFields()
  required?: ClientFormField[];

  @ApiPropertyOptional({ type: ClientFormDefaultsDto, default: {}, description: 'Values a new client gets for the fields its create leaves out; given values win' })
  @NotNullWhenPresent() @IsObject() @ValidateNested() @Type(() => ClientFormDefaultsDto)
  defaults?: ClientFormDefaultsDto;
}

/**
 * A stored form in one shape and order (JSON columns keep neither key order
 * nor absent keys): every required field once, defaults with only what is set,
 * the switches in the settings list's order.
 */
export function clientFormInOrder(stored: { required?: readonly string[]; defaults?: ClientFormDefaults } | null | undefined): ClientFormResponse {
  const given = stored?.defaults ?? {};
  const defaults: ClientFormDefaults = {};
  if (given.language != null) defaults.language = given.language;
  if (given.currency != null) defaults.currency = given.currency;
  const settings = Object.fromEntries(CLIENT_SETTING_KEYS.filter((key) => given.settings?.[key] != null).map((key) => [key, given.settings![key]]));
  if (Object.keys(settings).length) defaults.settings = settings;
  return { required: [...new Set(stored?.required ?? [])] as ClientFormField[], defaults };
}
