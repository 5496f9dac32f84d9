import { migrateAccounts } from '../../apps/accounts/src/migrate';
import { migrateNotifications } from '../../apps/notifications/src/migrate';
import { call, type Stack } from '@clientele/testing';

export const migrations = [migrateAccounts, migrateNotifications];

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export function partnerBody(overrides: Record<string, unknown> = {}) {
  const id = unique();
  return {
    type: 'distributor',
    accountName: `Partner ${id}`,
    companyName: `Partner ${id} S.L.`,
    address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
    owner: { firstName: 'Ana', lastName: 'Ruiz', email: `owner-${id}@partner.test`, password: 'correct horse battery staple' },
    ...overrides,
  };
}

export function clientBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  const id = unique();
  return {
    accountName: `Client ${id}`,
    companyName: `Client ${id} S.A.`,
    address: { country: 'IT', region: 'Lazio', city: 'Roma' },
    owner: { firstName: 'Carla', lastName: 'Bianchi', email: `owner-${id}@client.test` },
    ...overrides,
  };
}

/** Creates a partner through the operator route and signs its owner in. */
export async function partnerWithToken(stack: Stack, overrides: Record<string, unknown> = {}) {
  const body = partnerBody(overrides);
  const created = await call(stack.baseUrl, 'POST', '/v1/partners', { token: stack.operatorToken, body });
  if (created.status !== 201) throw new Error(`partner not created: ${created.status} ${created.text}`);
  const signIn = await call(stack.baseUrl, 'POST', '/v1/auth/token', {
    body: { email: body.owner.email, password: body.owner.password },
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${signIn.text}`);
  return { partner: created.body, token: signIn.body.accessToken as string, body };
}
