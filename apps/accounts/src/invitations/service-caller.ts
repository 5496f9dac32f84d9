import { ErrorCodes, type Caller } from '@clientele/contracts';
import { DomainError } from '../domain/domain-error';

/** Link minting and expiry are notifications' alone to ask for. */
export function requireNotificationsService(caller: Caller): void {
  if (caller.kind !== 'service' || caller.service !== 'notifications') {
    throw new DomainError(ErrorCodes.forbidden, 403, 'Only the notifications service may ask for this.');
  }
}
