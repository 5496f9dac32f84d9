import type { ClientSettings } from './client-settings';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DECIMAL_2, E164, IsBcp47, IsCalendarDate, IsFutureInstant } from '../validation/validators';

export const ACCOUNT_TYPES = ['group', 'distributor', 'reseller', 'customer'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const PARENT_TYPES: readonly AccountType[] = ['group', 'distributor', 'reseller'];

export const INVITATION_SEND_MODES = ['now', 'scheduled', 'none'] as const;
export type InvitationSendMode = (typeof INVITATION_SEND_MODES)[number];

export class AddressDto {
  @ApiProperty({ example: 'ES', description: 'ISO 3166-1 alpha-2' })
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country!: string;

  @ApiProperty({ example: 'Madrid' })
  @IsString() @IsNotEmpty() @MaxLength(120)
  region!: string;

  @ApiProperty({ example: 'Madrid' })
  @IsString() @IsNotEmpty() @MaxLength(120)
  city!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  line1?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  line2?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20)
  postalCode?: string;
}

export class OwnerDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100)
  firstName!: string;

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100)
  lastName!: string;

  @ApiProperty({ description: 'The owner signs in with it' })
  @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ description: 'At least 12 characters; with it the owner is active at once and no invitation is sent', writeOnly: true })
  @IsOptional() @IsString() @MinLength(12) @MaxLength(256)
  password?: string;
}

export class InvitationOptionsDto {
  @ApiPropertyOptional({ enum: INVITATION_SEND_MODES, default: 'now' })
  @IsOptional() @IsIn(INVITATION_SEND_MODES)
  send?: InvitationSendMode;

  @ApiPropertyOptional({ description: 'Required and in the future when send is "scheduled"' })
  @ValidateIf((o: InvitationOptionsDto) => o.send === 'scheduled' || o.sendAt !== undefined)
  @IsFutureInstant()
  sendAt?: string;
}

/** One property per key of CLIENT_SETTINGS_DEFAULTS (the compiler and a spec hold them to it). */
export class ClientSettingsDto implements Partial<ClientSettings> {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() taxExempt?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() lateFeesExempt?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() overdueNotices?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() separateInvoices?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disableCardProcessing?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() marketingOptOut?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() autoStatusUpdate?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowSingleSignOn?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) paymentMethod?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) billingContact?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) clientGroup?: string;
}

export class ServicePlanAssignmentDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all')
  planId!: string;

  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(999_999_999)
  units!: number;

  @ApiProperty({ example: '2026-12-01' }) @IsCalendarDate()
  startDate!: string;
}

/** Everything an account is opened with, but its type (optional for a client, required for a partner). */
export abstract class AccountBody {
  @ApiProperty({ minLength: 1, maxLength: 120, description: 'Unique (case-insensitive) among the parent\'s clients' })
  @IsString() @IsNotEmpty() @MaxLength(120)
  accountName!: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString() @IsNotEmpty() @MaxLength(200)
  companyName!: string;

  @ApiPropertyOptional({ maxLength: 64, description: 'Legal-entity code' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64)
  uniqueIdentifier?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 10 })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsEmail({}, { each: true, message: 'each value in billingEmails must be an e-mail address' })
  billingEmails?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  active?: boolean;

  @ApiProperty({ type: AddressDto })
  @IsObject() @ValidateNested() @Type(() => AddressDto)
  address!: AddressDto;

  @ApiPropertyOptional({ example: '+34911234567', description: 'E.164' })
  @IsOptional() @Matches(E164, { message: 'phone must be an E.164 number such as +34911234567' })
  phone?: string;

  @ApiPropertyOptional({ default: 'en', description: 'BCP 47' })
  @IsOptional() @IsBcp47()
  language?: string;

  @ApiPropertyOptional({ default: 'USD', description: 'ISO 4217' })
  @IsOptional() @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsEmail({}, { message: 'emergencyContactEmail must be an e-mail address' }) @MaxLength(254)
  emergencyContactEmail?: string;

  @ApiProperty({ type: OwnerDto })
  @IsObject() @ValidateNested() @Type(() => OwnerDto)
  owner!: OwnerDto;

  @ApiPropertyOptional({ type: InvitationOptionsDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => InvitationOptionsDto)
  invitation?: InvitationOptionsDto;

  @ApiPropertyOptional({ type: ClientSettingsDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ClientSettingsDto)
  settings?: ClientSettingsDto;

  @ApiPropertyOptional({ example: '0.00', description: 'Decimal string' })
  @IsOptional() @IsString() @Matches(DECIMAL_2, { message: 'creditBalance must be a decimal string such as "12.50"' })
  creditBalance?: string;

  @ApiPropertyOptional({ maxLength: 10000, description: 'Shown only to the parent\'s users' })
  @IsOptional() @IsString() @MaxLength(10_000)
  adminNotes?: string;

  @ApiPropertyOptional({ type: [ServicePlanAssignmentDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ServicePlanAssignmentDto)
  servicePlans?: ServicePlanAssignmentDto[];
}

export class CreateClientRequest extends AccountBody {
  @ApiPropertyOptional({ enum: ACCOUNT_TYPES, default: 'customer' })
  @IsOptional() @IsIn(ACCOUNT_TYPES)
  type?: AccountType;
}

export class CreatePartnerRequest extends AccountBody {
  @ApiProperty({ enum: PARENT_TYPES })
  @IsIn(PARENT_TYPES)
  type!: AccountType;
}
