import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import type { RpcErrorBody } from '../errors';

/** The most links one request may ask for. */
export const MINT_BATCH_MAX = 100;

export class AcceptInvitationRequest {
  @ApiProperty({ minLength: 12, writeOnly: true, description: 'At least 12 characters, not one of the commonest passwords' })
  @IsString() @MinLength(12) @MaxLength(256)
  password!: string;
}

export interface InvitationPreview {
  accountName: string;
  companyName: string;
  invitedBy: string | null;
  ownerEmail: string;
  expiresAt: string;
}

/* NATS payloads */
export class InvitationTokenPayload {
  @IsString() @MinLength(1) @MaxLength(128)
  token!: string;
}

export class AcceptInvitationPayload extends InvitationTokenPayload {
  @IsString() @MinLength(12) @MaxLength(256)
  password!: string;
}

/** One invitation about to be e-mailed, and why. */
export class InvitationLinkWanted {
  @IsUUID('all')
  invitationId!: string;

  @IsIn(['invitation', 'reminder'])
  purpose!: 'invitation' | 'reminder';
}

/** Only notifications asks: fresh links for the invitations it is about to e-mail, a batch at a time. */
export class MintInvitationLinksPayload {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MINT_BATCH_MAX) @ValidateNested({ each: true }) @Type(() => InvitationLinkWanted)
  links!: InvitationLinkWanted[];
}

/** Per invitation asked for, in the same order: its link, or why there is none (accepted, revoked, gone). */
export interface MintedInvitationLinks {
  links: ({ ok: true; link: MintedInvitationLink } | { ok: false; error: RpcErrorBody })[];
}

/** What notifications needs to write the e-mail. The token travels only on this reply. */
export interface MintedInvitationLink {
  token: string;
  expiresAt: string;
  language: string;
  owner: { email: string; firstName: string; lastName: string };
  account: { accountName: string; companyName: string };
  invitedBy: { companyName: string } | null;
  clientId: string;
}

export class ExpireInvitationsPayload {
  @IsArray() @ArrayMaxSize(1000) @IsUUID('all', { each: true })
  invitationIds!: string[];
}

export interface ExpireInvitationsReply {
  expired: string[];
  unchanged: string[];
}

export class ListEmailsPayload {
  @IsUUID('all')
  clientId!: string;
}

/** One e-mail of a client's delivery log. */
export interface EmailLogEntry {
  id: string;
  template: 'invitation' | 'reminder' | 'password-reset' | 'password-setup' | 'relationship-request';
  recipient: string | null;
  locale: string | null;
  subject: string | null;
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  lastError: string | null;
  scheduledFor: string;
  sentAt: string | null;
  createdAt: string;
}

export class PasswordResetRequest {
  @ApiProperty() @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(254)
  email!: string;
}

export class SetPasswordRequest {
  @ApiProperty({ minLength: 12, writeOnly: true }) @IsString() @MinLength(12) @MaxLength(256)
  password!: string;
}

export class ResetPasswordPayload extends InvitationTokenPayload {
  @IsString() @MinLength(12) @MaxLength(256)
  password!: string;
}

/** Only notifications asks: a one-hour link to set a password, for a user found by e-mail or id. */
export class MintPasswordLinkPayload {
  @IsOptional() @IsEmail() @MaxLength(254)
  email?: string;

  @IsOptional() @IsUUID('all')
  userId?: string;

  @IsIn(['reset', 'setup'])
  purpose!: 'reset' | 'setup';
}

export interface MintedPasswordLink {
  token: string;
  expiresAt: string;
  language: string;
  user: { email: string; firstName: string };
  account: { id: string; companyName: string };
}

export class CreateRelationshipRequest {
  @ApiProperty({ description: 'An admin of the account you invite to connect' })
  @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(254)
  email!: string;

  @ApiProperty({ required: false, maxLength: 1000 })
  @IsOptional() @IsString() @MaxLength(1000)
  message?: string;
}

export type RelationshipRequestStatus = 'pending' | 'accepted' | 'declined' | 'expired' | 'cancelled';

export interface RelationshipRequestResponse {
  id: string;
  email: string;
  message: string | null;
  status: RelationshipRequestStatus;
  expiresAt: string;
  sentAt: string | null;
  decidedAt: string | null;
  createdAt: string;
}

export class RelationshipRequestIdPayload {
  @IsString() @MaxLength(64)
  id!: string;
}

export class MintRelationshipRequestLinkPayload {
  @IsUUID('all')
  requestId!: string;
}

export interface MintedRelationshipRequestLink {
  token: string;
  expiresAt: string;
  email: string;
  language: string;
  message: string | null;
  from: { accountId: string; companyName: string };
}
