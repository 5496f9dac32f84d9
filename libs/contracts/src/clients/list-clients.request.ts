import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ACCOUNT_TYPES, AccountType } from './create-client.request';

/** `?limit=` (1..200, default 50) and the opaque `?cursor=` of every list. */
export class PageRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from nextCursor' })
  @IsOptional() @IsString() @MaxLength(512)
  cursor?: string;
}

export const CLIENT_SORTS = [
  'accountName', '-accountName', 'companyName', '-companyName', 'status', '-status', 'createdAt', '-createdAt',
] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];

export class ListClientsRequest extends PageRequest {
  @ApiPropertyOptional({ enum: CLIENT_SORTS, default: 'createdAt' })
  @IsOptional() @IsIn(CLIENT_SORTS)
  sort?: ClientSort;

  @ApiPropertyOptional({ enum: ['active', 'inactive'] })
  @IsOptional() @IsIn(['active', 'inactive'])
  status?: 'active' | 'inactive';

  @ApiPropertyOptional({ enum: ACCOUNT_TYPES })
  @IsOptional() @IsIn(ACCOUNT_TYPES)
  type?: AccountType;

  @ApiPropertyOptional({ description: 'Prefix of the account or company name, case-insensitive' })
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'List the clients of this descendant account (read-only), instead of your own' })
  @IsOptional() @IsString() @MaxLength(64)
  parent?: string;
}

export class ClientIdRequest {
  @IsString() @MaxLength(64)
  id!: string;
}
