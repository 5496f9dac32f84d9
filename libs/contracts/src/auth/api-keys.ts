import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { PageRequest } from '../clients/list-clients.request';

/**
 * An API key reads `ck_<prefix>_<secret>`: the prefix (12 characters, shown
 * in lists) finds the key, the secret (256 random bits) proves it. accounts
 * keeps only the SHA-256 of the whole key.
 */
export const API_KEY_PATTERN = /^ck_([0-9a-z]{12})_([A-Za-z0-9_-]{43})$/;

export class CreateApiKeyRequest {
  @ApiProperty({ maxLength: 100, example: 'billing sync', description: 'What the key is for; shown in lists' })
  @IsString() @IsNotEmpty() @MaxLength(100)
  name!: string;
}

export class ListApiKeysRequest extends PageRequest {}

export interface ApiKeyResponse {
  id: string;
  name: string;
  /** The key's visible start, `ck_<prefix>`, to recognise it; never the key. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The one answer that carries the key. */
export interface CreatedApiKeyResponse extends ApiKeyResponse {
  key: string;
}

export class ApiKeyIdPayload {
  @IsString() @MaxLength(64)
  id!: string;
}

/** The gateway sends the key's prefix and hash, never the key. */
export class AuthenticateApiKeyPayload {
  @IsString() @Matches(/^[0-9a-z]{12}$/)
  prefix!: string;

  @IsString() @Matches(/^[0-9a-f]{64}$/)
  keyHash!: string;
}

export interface ApiKeyPrincipal {
  keyId: string;
  accountId: string;
}
