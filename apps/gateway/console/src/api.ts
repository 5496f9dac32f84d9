import { problemOf, type Problem } from './problem';

/** A failed call: the API's problem details. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string | undefined {
    return this.problem.code;
  }
}

/**
 * The access token lives in this tab's sessionStorage: it goes with every
 * call as a bearer token, never as a cookie, so no other site can make the
 * browser use it (no CSRF), and it ends with the tab.
 */
const TOKEN_KEY = 'clientele.console.token';
export const SIGNED_OUT_EVENT = 'clientele:signed-out';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
  },
};

export interface CallOptions {
  body?: unknown;
  ifMatch?: string;
  /** POSTs that create something carry one, so a double submit creates it once. */
  idempotent?: boolean;
  /** A public route (sign-in, password reset): no token sent, a 401 signs nobody out. */
  anonymous?: boolean;
}

export interface Answer<T> {
  data: T;
  etag: string | null;
  status: number;
}

/** One call to the API of this origin; a 4xx or 5xx throws ApiError. */
export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = session.token();
  if (token && !options.anonymous) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  if (options.idempotent) headers['Idempotency-Key'] = crypto.randomUUID();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', title: 'Network error' });
  }
  const text = await response.text();
  const data = text ? safeJson(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && token && !options.anonymous) session.signOut();
    throw new ApiError(problemOf(response.status, data));
  }
  return { data: data as T, etag: response.headers.get('ETag'), status: response.status };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `/v1/clients` + `{ q: 'a', status: '' }` → `/v1/clients?q=a`: empty values are left out. */
export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
