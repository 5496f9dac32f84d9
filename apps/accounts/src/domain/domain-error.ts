import { ErrorCodes, type FieldError } from '@clientele/contracts';

/** A rule of the domain was broken; `code` and `status` reach the REST client unchanged. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what = 'resource') {
    super(ErrorCodes.notFound, 404, `The ${what} does not exist or is not visible to you.`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(ErrorCodes.forbidden, 403, message);
  }
}

export class AccountNameTakenError extends DomainError {
  constructor(name: string) {
    super(ErrorCodes.accountNameTaken, 409, `An account named "${name}" already exists here.`, [
      { field: 'accountName', message: 'accountName is already taken (names are compared ignoring case)' },
    ]);
  }
}

export class UniqueIdentifierTakenError extends DomainError {
  constructor() {
    super(ErrorCodes.uniqueIdentifierTaken, 409, 'Another client already has this unique identifier.', [
      { field: 'uniqueIdentifier', message: 'uniqueIdentifier is already used by another client' },
    ]);
  }
}

export class EmailTakenError extends DomainError {
  constructor() {
    super(ErrorCodes.emailTaken, 409, 'A user with this e-mail already exists.', [
      { field: 'owner.email', message: 'owner.email already belongs to a user' },
    ]);
  }
}

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super(ErrorCodes.invalidCredentials, 401, 'The e-mail or password is not correct.');
  }
}

export class ServicePlanNotFoundError extends DomainError {
  constructor(details: FieldError[]) {
    super(ErrorCodes.servicePlanNotFound, 422, 'A service plan is not in your catalogue.', details);
  }
}

export class VersionConflictError extends DomainError {
  constructor() {
    super(ErrorCodes.versionConflict, 412, 'The resource changed since you read it; read it again and retry with its new ETag.');
  }
}

export class TypeChangeNotAllowedError extends DomainError {
  constructor(reason: string) {
    super(ErrorCodes.typeChangeNotAllowed, 409, reason, [{ field: 'type', message: reason }]);
  }
}

export class ServicePlanNameTakenError extends DomainError {
  constructor() {
    super(ErrorCodes.servicePlanNameTaken, 409, 'Your catalogue already has a plan with this name.', [
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
    super(code, 410, message);
  }
}

export class NoPendingInvitationError extends DomainError {
  constructor() {
    super(ErrorCodes.noPendingInvitation, 409, 'The owner has no invitation that can be resent or revoked: it was accepted, or the owner has a password.');
  }
}

export class WeakPasswordError extends DomainError {
  constructor(message: string) {
    super(ErrorCodes.weakPassword, 400, message, [{ field: 'password', message }]);
  }
}
