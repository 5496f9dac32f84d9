import { ErrorCodes, type Caller } from '@clientele/contracts';
import { DomainError } from '../domain/domain-error';

/** Partner routes belong to the installation's operator alone. */
export function requireOperator(caller: Caller): void {
  if (caller.kind !== 'operator') {
    throw new DomainError(ErrorCodes.unauthorized, 401, 'Only the platform operator may manage partners.');
  }
}
