import { ErrorCodes } from '@clientele/contracts';
import { RpcError } from '@clientele/messaging';

/** A strong validator for a versioned resource: changes whenever `version` does. */
export function etagOf(resource: { id: string; version: number }): string {
  return `"${resource.id}.${resource.version}"`;
}

/**
 * The version an `If-Match` header asks for: undefined when absent or `*`.
 * An ETag of another resource, or one that is not ours, cannot match: 412.
 */
export function expectedVersion(ifMatch: string | undefined, id: string): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"([^"]+)\.(\d{1,9})"\s*$/.exec(ifMatch);
  if (!match || match[1] !== id) {
    throw new RpcError(ErrorCodes.versionConflict, 412, 'If-Match does not match this resource; read it again for its ETag.');
  }
  return Number(match[2]);
}
