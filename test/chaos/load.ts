import { randomUUID } from 'node:crypto';

export interface Attempted {
  key: string;
  accountName: string;
  ownerEmail: string;
  /** The created client's id, once a 2xx came back. */
  id?: string;
  /** Set when the API refused the create for good (a 4xx other than "retry"): a bug in a fault run. */
  refusal?: string;
  /** Requests sent for this create, retries included. */
  requests: number;
  answeredAt?: number;
}

const RETRY_GIVE_UP_MS = 120_000;
const REQUEST_TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a careful client of the API does: every create has its own
 * Idempotency-Key, and on a 5xx, a 429, a key still in flight (409
 * `idempotency_key_in_use`), a timeout or a cut connection it sends the same
 * request with the same key again, backing off, moving to the next gateway
 * when one does not answer at all.
 */
export class CarefulClient {
  private gateway = 0;

  constructor(
    private readonly gateways: string[],
    private readonly token: string,
  ) {}

  async create(body: Record<string, unknown>, attempt: Attempted): Promise<void> {
    const started = Date.now();
    for (let tries = 0; Date.now() - started < RETRY_GIVE_UP_MS; tries++) {
      attempt.requests += 1;
      let res: Response;
      try {
        res = await fetch(`${this.gateways[this.gateway]}/v1/clients`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'idempotency-key': attempt.key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch {
        this.gateway = (this.gateway + 1) % this.gateways.length;
        await sleep(backoff(tries));
        continue;
      }
      const answer = (await res.json().catch(() => ({}))) as { id?: string; code?: string };
      if (res.ok) {
        attempt.id = answer.id;
        attempt.answeredAt = Date.now();
        return;
      }
      const retry = res.status >= 500 || res.status === 429 || (res.status === 409 && answer.code === 'idempotency_key_in_use');
      if (!retry) {
        attempt.refusal = `${res.status} ${answer.code}`;
        return;
      }
      const retryAfter = Number(res.headers.get('retry-after')) * 1000;
      await sleep(Math.max(backoff(tries), Number.isFinite(retryAfter) ? Math.min(retryAfter, 2_000) : 0));
    }
  }
}

/** 100 ms doubling to 1 s, with full jitter so retries do not arrive in step. */
function backoff(tries: number): number {
  return Math.random() * Math.min(1_000, 100 * 2 ** tries);
}

export interface Load {
  attempts: Attempted[];
  /** Lets every worker finish the create it is on (until it is answered) and stop. */
  stop(): Promise<void>;
}

/** `workers` careful clients creating clients one after the other until stopped. */
export function startLoad(client: CarefulClient, workers: number, tag: string): Load {
  const attempts: Attempted[] = [];
  let stopping = false;
  let n = 0;
  const worker = async () => {
    while (!stopping) {
      n += 1;
      const id = `${tag}-${n}-${randomUUID().slice(0, 8)}`;
      const attempt: Attempted = { key: randomUUID(), accountName: `Chaos ${id}`, ownerEmail: `owner-${id}@chaos.test`, requests: 0 };
      attempts.push(attempt);
      await client.create(
        {
          accountName: attempt.accountName,
          companyName: `Chaos ${id} S.L.`,
          address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
          owner: { firstName: 'Olga', lastName: 'Chaos', email: attempt.ownerEmail },
        },
        attempt,
      );
    }
  };
  const running = Array.from({ length: workers }, worker);
  return {
    attempts,
    async stop() {
      stopping = true;
      await Promise.all(running);
    },
  };
}
