import type { Caller } from '@clientele/contracts';
import { ForbiddenError } from '../domain/domain-error';

/** Link minting and expiry are notifications' alone to ask for. */
export function requireNotificationsService(caller: Caller): void {
  if (caller.kind !== 'service' || caller.service !== 'notifications') {
    throw new ForbiddenError('Only the notifications service may ask for this.');
  }
}
