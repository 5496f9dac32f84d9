import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, NotNullWhenPresent } from '../validation/validators';
import { PageRequest } from '../clients/list-clients.request';
import { ServicePlanAssignmentDto } from '../clients/create-client.request';

export class CreateServicePlanRequest {
  @ApiProperty({ maxLength: 120, description: 'Unique (case-insensitive) in your catalogue' })
  @IsString() @IsNotEmpty() @MaxLength(120)
  name!: string;

  @ApiProperty({ maxLength: 120, example: 'Microsoft 365 Business Basic' })
  @IsString() @IsNotEmpty() @MaxLength(120)
  product!: string;

  @ApiProperty({ maxLength: 60, example: 'user', description: 'What one unit of a licence is: user, device, GB, ...' })
  @IsString() @IsNotEmpty() @MaxLength(60)
  unitType!: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  active?: boolean;
}

export class UpdateServicePlanRequest {
  @ApiPropertyOptional() @NotNullWhenPresent() @IsString() @IsNotEmpty() @MaxLength(120)
  name?: string;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsString() @IsNotEmpty() @MaxLength(120)
  product?: string;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsString() @IsNotEmpty() @MaxLength(60)
  unitType?: string;

  @ApiPropertyOptional() @NotNullWhenPresent() @IsBoolean()
  active?: boolean;
}

export interface ServicePlanResponse {
  id: string;
  name: string;
  product: string;
  unitType: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export class ListServicePlansRequest extends PageRequest {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional() @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}

/** The same terms as a plan given at creation (`servicePlans[]`). */
export class AssignLicenseRequest extends ServicePlanAssignmentDto {}

export class UpdateLicenseRequest {
  @ApiPropertyOptional({ minimum: 1 }) @NotNullWhenPresent() @IsInt() @Min(1) @Max(999_999_999)
  units?: number;

  @ApiPropertyOptional({ example: '2026-12-01' }) @NotNullWhenPresent() @IsCalendarDate()
  startDate?: string;
}

export interface LicenseResponse {
  id: string;
  clientId: string;
  planId: string;
  plan: { name: string; product: string; unitType: string };
  units: number;
  startDate: string;
  status: 'active' | 'ended';
  createdAt: string;
  updatedAt: string;
  version: number;
}

export class ListLicensesRequest extends PageRequest {
  @ApiPropertyOptional({ enum: ['active', 'ended'], default: 'active' })
  @IsOptional() @IsIn(['active', 'ended'])
  status?: 'active' | 'ended';
}

/* NATS payloads */
export class ServicePlanIdPayload {
  @IsString() @MaxLength(64)
  id!: string;
}

export class UpdateServicePlanPayload {
  @IsString() @MaxLength(64)
  id!: string;

  @IsObject() @ValidateNested() @Type(() => UpdateServicePlanRequest)
  patch!: UpdateServicePlanRequest;

  @IsOptional() @IsInt() @Min(0)
  expectedVersion?: number;
}

export class ListLicensesPayload extends ListLicensesRequest {
  @IsString() @MaxLength(64)
  clientId!: string;
}

export class AssignLicensePayload extends AssignLicenseRequest {
  @IsString() @MaxLength(64)
  clientId!: string;
}

export class LicenseIdPayload {
  @IsString() @MaxLength(64)
  clientId!: string;

  @IsString() @MaxLength(64)
  licenseId!: string;
}

export class UpdateLicensePayload extends LicenseIdPayload {
  @IsObject() @ValidateNested() @Type(() => UpdateLicenseRequest)
  patch!: UpdateLicenseRequest;

  @IsOptional() @IsInt() @Min(0)
  expectedVersion?: number;
}
