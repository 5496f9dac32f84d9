/**
 * Who is asking. The gateway authenticates the HTTP caller and sends this
 * with every request (header `X-Caller`); the services decide visibility.
 */
export type Caller =
  | {
      kind: 'user';
      accountId: string;
      userId: string;
      role: 'admin';
      /** The user's e-mail, for the audit trail: from the access token (absent in tokens issued before it carried one). */
      email?: string;
    }
  | { kind: 'api-key'; accountId: string; keyId: string; role: 'admin' }
  | { kind: 'operator' }
  | { kind: 'service'; service: 'notifications' }
  | { kind: 'anonymous' };

export type AccountCaller = Extract<Caller, { accountId: string }>;

export function isAccountCaller(caller: Caller): caller is AccountCaller {
  return caller.kind === 'user' || caller.kind === 'api-key';
}
