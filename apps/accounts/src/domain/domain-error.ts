import { ErrorCodes, REQUIRED_BY_ACCOUNT_SETTINGS, type ErrorCode, type FieldError } from '@clientele/contracts';

/**
 * A rule of the domain was broken. It carries a stable code (and the fields
 * at fault); the edge gives the code its HTTP status from contracts'
 * `ErrorStatus`, so nothing here knows about HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what = 'resource') {
    super(ErrorCodes.notFound, `The ${what} does not exist or is not visible to you.`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(ErrorCodes.forbidden, message);
  }
}

export class AccountNameTakenError extends DomainError {
  constructor(name: string) {
    super(ErrorCodes.accountNameTaken, `An account named "${name}" already exists here.`, [
      { field: 'accountName', message: 'accountName is already taken (names are compared ignoring case)' },
    ]);
  }
}

export class UniqueIdentifierTakenError extends DomainError {
  constructor() {
    super(ErrorCodes.uniqueIdentifierTaken, 'Another client already has this unique identifier.', [
      { field: 'uniqueIdentifier', message: 'uniqueIdentifier is already used by another client' },
    ]);
  }
}

export class EmailTakenError extends DomainError {
  constructor() {
    super(ErrorCodes.emailTaken, 'A user with this e-mail already exists.', [
      { field: 'owner.email', message: 'owner.email already belongs to a user' },
    ]);
  }
}

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super(ErrorCodes.invalidCredentials, 'The e-mail or password is not correct.');
  }
}

export class ServicePlanNotFoundError extends DomainError {
  constructor(details: FieldError[]) {
    super(ErrorCodes.servicePlanNotFound, 'A service plan is not in your catalogue.', details);
  }
}

export class VersionConflictError extends DomainError {
  constructor() {
    super(ErrorCodes.versionConflict, 'The resource changed since you read it; read it again and retry with its new ETag.');
  }
}

export class TypeChangeNotAllowedError extends DomainError {
  constructor(reason: string) {
    super(ErrorCodes.typeChangeNotAllowed, reason, [{ field: 'type', message: reason }]);
  }
}

export class ServicePlanNameTakenError extends DomainError {
  constructor() {
    super(ErrorCodes.servicePlanNameTaken, 'Your catalogue already has a plan with this name.', [
      { field: 'name', message: 'name is already used by another plan (compared ignoring case)' },
    ]);
  }
}

export class InvitationClosedError extends DomainError {
  constructor(status: 'accepted' | 'expired' | 'revoked') {
    const code = { accepted: ErrorCodes.invitationUsed, expired: ErrorCodes.invitationExpired, revoked: ErrorCodes.invitationRevoked }[status];
    const message = {
      accepted: 'This invitation was already accepted; sign in instead.',
      expired: 'This invitation has expired; ask for a new one.',
      revoked: 'This invitation was withdrawn.',
    }[status];
    super(code, message);
  }
}

export class NoPendingInvitationError extends DomainError {
  constructor() {
    super(ErrorCodes.noPendingInvitation, 'The owner has no invitation that can be resent or revoked: it was accepted, or the owner has a password.');
  }
}

export class WeakPasswordError extends DomainError {
  constructor(message: string) {
    super(ErrorCodes.weakPassword, message, [{ field: 'password', message }]);
  }
}

/** No caller the request may come from (not signed in as a user, a revoked key, not the operator). */
export class UnauthenticatedError extends DomainError {
  constructor(message: string) {
    super(ErrorCodes.unauthorized, message);
  }
}

/** Connecting two accounts would repeat or loop a relationship of the channel. */
export class AlreadyConnectedError extends DomainError {
  constructor(message: string) {
    super(ErrorCodes.alreadyConnected, message);
  }
}

export class RequestClosedError extends DomainError {
  constructor(status: string) {
    super(ErrorCodes.requestClosed, `This request to connect is ${status}.`);
  }
}

export class ResetLinkUsedError extends DomainError {
  constructor() {
    super(ErrorCodes.resetLinkUsed, 'This link was already used; ask for a new one.');
  }
}

export class ResetLinkExpiredError extends DomainError {
  constructor() {
    super(ErrorCodes.resetLinkExpired, 'This link has expired; ask for a new one.');
  }
}

export class InvalidCursorError extends DomainError {
  constructor(details: FieldError[]) {
    super(ErrorCodes.validationFailed, 'The cursor is not valid for this list.', details);
  }
}

/** A client lacks fields its parent's client form requires (seed 003): each is named. */
export class RequiredByAccountSettingsError extends DomainError {
  constructor(fields: readonly string[]) {
    super(
      ErrorCodes.validationFailed,
      `Your account's settings require these client fields: ${fields.join(', ')}.`,
      fields.map((field) => ({ field, message: REQUIRED_BY_ACCOUNT_SETTINGS })),
    );
  }
}

/** An import file sent in parts did not arrive whole (a part missing or changed): nothing is imported. */
export class IncompleteImportFileError extends DomainError {
  constructor() {
    super(ErrorCodes.validationFailed, 'The import file did not arrive whole; send it again.', [
      { field: 'upload', message: 'the parts of the file do not add up to the file sent' },
    ]);
  }
}
