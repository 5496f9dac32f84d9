import type { ClientSettingKey, ClientSettings } from './client-settings';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DECIMAL_2, E164, IsBcp47, NotNullWhenPresent } from '../validation/validators';
import { ACCOUNT_TYPES, type AccountType } from './create-client.request';

/** JSON merge patch of an address: absent keeps, null clears an optional line. */
export class AddressPatch {
  @ApiPropertyOptional() @NotNullWhenPresent() @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsString() @IsNotEmpty() @MaxLength(120)
  region?: string;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsString() @IsNotEmpty() @MaxLength(120)
  city?: string;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(200)
  line1?: string | null;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(200)
  line2?: string | null;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(20)
  postalCode?: string | null;
}

/** Every key of CLIENT_SETTINGS_DEFAULTS, optional, null to go back to the default. */
type SettingsPatchShape = { [K in ClientSettingKey]?: ClientSettings[K] | null };

/** JSON merge patch of the billing switches: null puts a setting back to its default. */
export class SettingsPatch implements SettingsPatchShape {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsBoolean() taxExempt?: boolean | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsBoolean() lateFeesExempt?: boolean | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsBoolean() overdueNotices?: boolean | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsBoolean() separateInvoices?: boolean | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsBoolean() disableCardProcessing?: boolean | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsBoolean() marketingOptOut?: boolean | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsBoolean() autoStatusUpdate?: boolean | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsBoolean() allowSingleSignOn?: boolean | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(64) paymentMethod?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) billingContact?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) clientGroup?: string | null;
}

/**
 * What an account's own admins may change of it (`PATCH /v1/account`): its
 * identity, contacts and address. Billing switches, type, status, credit and
 * notes belong to the parent.
 */
export class UpdateOwnAccountRequest {
  @ApiPropertyOptional() @NotNullWhenPresent() @IsString() @IsNotEmpty() @MaxLength(120)
  accountName?: string;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsString() @IsNotEmpty() @MaxLength(200)
  companyName?: string;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64)
  uniqueIdentifier?: string | null;

  @ApiPropertyOptional({ type: [String], nullable: true })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsEmail({}, { each: true, message: 'each value in billingEmails must be an e-mail address' })
  billingEmails?: string[] | null;

  @ApiPropertyOptional({ type: AddressPatch })
  @NotNullWhenPresent() @IsObject() @ValidateNested() @Type(() => AddressPatch)
  address?: AddressPatch;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional() @Matches(E164, { message: 'phone must be an E.164 number such as +34911234567' })
  phone?: string | null;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsBcp47()
  language?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional() @IsEmail({}, { message: 'emergencyContactEmail must be an e-mail address' }) @MaxLength(254)
  emergencyContactEmail?: string | null;
}

/** JSON merge patch of a client by its parent (`PATCH /v1/clients/{id}`). */
export class UpdateClientRequest extends UpdateOwnAccountRequest {
  @ApiPropertyOptional({ enum: ACCOUNT_TYPES }) @NotNullWhenPresent() @IsIn(ACCOUNT_TYPES)
  type?: AccountType;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({ type: SettingsPatch })
  @NotNullWhenPresent() @IsObject() @ValidateNested() @Type(() => SettingsPatch)
  settings?: SettingsPatch;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsString() @Matches(DECIMAL_2, { message: 'creditBalance must be a decimal string such as "12.50"' })
  creditBalance?: string;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(10_000)
  adminNotes?: string | null;
}

/** The NATS payload of an update: which account, the patch, and the version the caller saw. */
export class UpdateClientPayload {
  @IsString() @MaxLength(64)
  id!: string;

  @IsObject() @ValidateNested() @Type(() => UpdateClientRequest)
  patch!: UpdateClientRequest;

  @IsOptional() @IsInt() @Min(0)
  expectedVersion?: number;
}

export class UpdateOwnAccountPayload {
  @IsObject() @ValidateNested() @Type(() => UpdateOwnAccountRequest)
  patch!: UpdateOwnAccountRequest;

  @IsOptional() @IsInt() @Min(0)
  expectedVersion?: number;
}
