/** Stable machine codes that cross NATS and reach REST clients. */
export const ErrorCodes = {
  validationFailed: 'validation_failed',
  malformedJson: 'malformed_json',
  payloadTooLarge: 'payload_too_large',
  rateLimited: 'rate_limited',
  unsupportedMediaType: 'unsupported_media_type',
  unauthorized: 'unauthorized',
  invalidCredentials: 'invalid_credentials',
  forbidden: 'forbidden',
  notFound: 'not_found',
  accountNameTaken: 'account_name_taken',
  uniqueIdentifierTaken: 'unique_identifier_taken',
  emailTaken: 'email_taken',
  servicePlanNotFound: 'service_plan_not_found',
  servicePlanNameTaken: 'service_plan_name_taken',
  versionConflict: 'version_conflict',
  invitationExpired: 'invitation_expired',
  invitationUsed: 'invitation_used',
  invitationRevoked: 'invitation_revoked',
  resetLinkUsed: 'reset_link_used',
  requestClosed: 'relationship_request_closed',
  alreadyConnected: 'already_connected',
  resetLinkExpired: 'reset_link_expired',
  noPendingInvitation: 'no_pending_invitation',
  weakPassword: 'weak_password',
  idempotencyKeyReused: 'idempotency_key_reused',
  idempotencyKeyInUse: 'idempotency_key_in_use',
  typeChangeNotAllowed: 'type_change_not_allowed',
  serviceUnavailable: 'service_unavailable',
  timeout: 'upstream_timeout',
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | (string & {});

export interface FieldError {
  field: string;
  message: string;
}

/** How an error crosses NATS: never a bare "Internal server error". */
export interface RpcErrorBody {
  code: ErrorCode;
  status: number;
  message: string;
  details?: FieldError[];
  errorId?: string;
}

/** The reply envelope of every NATS request. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: RpcErrorBody };
