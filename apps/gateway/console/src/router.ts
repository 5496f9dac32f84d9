/** The console's screens and their paths under /console. */
export type Route =
  | { name: 'signIn' }
  | { name: 'forgotPassword' }
  | { name: 'clients' }
  | { name: 'newClient' }
  | { name: 'client'; id: string }
  | { name: 'requests' }
  | { name: 'plans' }
  | { name: 'apiKeys' }
  | { name: 'account' }
  | { name: 'notFound' };

export const BASE = '/console';

export function parseRoute(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length).replace(/\/+$/, '') : pathname;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'clients' };
  const [first, second] = parts;
  if (parts.length === 1) {
    const simple: Record<string, Route> = {
      'sign-in': { name: 'signIn' },
      'forgot-password': { name: 'forgotPassword' },
      clients: { name: 'clients' },
      'relationship-requests': { name: 'requests' },
      plans: { name: 'plans' },
      'api-keys': { name: 'apiKeys' },
      account: { name: 'account' },
    };
    return simple[first] ?? { name: 'notFound' };
  }
  if (parts.length === 2 && first === 'clients') return second === 'new' ? { name: 'newClient' } : { name: 'client', id: second };
  return { name: 'notFound' };
}

export const paths = {
  signIn: `${BASE}/sign-in`,
  forgotPassword: `${BASE}/forgot-password`,
  clients: `${BASE}/clients`,
  newClient: `${BASE}/clients/new`,
  client: (id: string) => `${BASE}/clients/${encodeURIComponent(id)}`,
  requests: `${BASE}/relationship-requests`,
  plans: `${BASE}/plans`,
  apiKeys: `${BASE}/api-keys`,
  account: `${BASE}/account`,
};

export const NAVIGATE_EVENT = 'clientele:navigate';

/** Moves to another screen without a page load (history API); `replace` for redirects. */
export function navigate(to: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
