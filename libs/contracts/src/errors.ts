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

/**
 * The HTTP status of every error code: errors raised inside a service carry
 * only their code, and this table, read once at the edge, gives the status
 * the REST client sees.
 */
export const ErrorStatus: Record<(typeof ErrorCodes)[keyof typeof ErrorCodes], number> = {
  validation_failed: 400,
  malformed_json: 400,
  weak_password: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  account_name_taken: 409,
  unique_identifier_taken: 409,
  email_taken: 409,
  service_plan_name_taken: 409,
  already_connected: 409,
  no_pending_invitation: 409,
  type_change_not_allowed: 409,
  idempotency_key_in_use: 409,
  invitation_expired: 410,
  invitation_used: 410,
  invitation_revoked: 410,
  reset_link_used: 410,
  reset_link_expired: 410,
  relationship_request_closed: 410,
  version_conflict: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  service_plan_not_found: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  upstream_timeout: 504,
};

/** The status of a code of the table; undefined for anything else (a driver's or the system's codes). */
export function statusOfCode(code: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(ErrorStatus, code) ? ErrorStatus[code as keyof typeof ErrorStatus] : undefined;
}

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
