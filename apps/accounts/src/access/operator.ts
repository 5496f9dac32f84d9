import type { Caller } from '@clientele/contracts';
import { UnauthenticatedError } from '../domain/domain-error';

/** Partner routes belong to the installation's operator alone. */
export function requireOperator(caller: Caller): void {
  if (caller.kind !== 'operator') {
    throw new UnauthenticatedError('Only the platform operator may manage partners.');
  }
}
