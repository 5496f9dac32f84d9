import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class SignInRequest {
  @ApiProperty() @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(254)
  email!: string;

  @ApiProperty({ writeOnly: true }) @IsString() @MinLength(1) @MaxLength(256)
  password!: string;
}

/** What accounts answers to a successful sign-in; the gateway mints the token from it. */
export interface SignInReply {
  userId: string;
  accountId: string;
  role: 'admin';
  /** Carried in the access token, so the audit trail can name the user without a lookup. */
  email: string;
}

export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}
