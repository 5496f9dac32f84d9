import { createInbox, headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from 'nats';
import { ErrorCodes, Headers, type Caller, type RpcReply } from '@clientele/contracts';
import { currentRequestOrigin, injectTraceHeaders, tracingEnabled, withSpan } from '@clientele/observability';
import { inboxPrefixOf, natsConnected } from './nats-connection';
import { RpcError } from './rpc-error';
import { sendThisTurn } from './same-turn';

export interface RpcCallOptions {
  caller?: Caller;
  requestId?: string;
  timeoutMs?: number;
  /** The client's Idempotency-Key of a POST, for the service to replay the first answer. */
  idempotencyKey?: string;
}

const utf8 = new TextDecoder();
const OK_PREFIX = new TextEncoder().encode('{"ok":true,"data":');

/**
 * A request waiting for its reply, as the map of those in flight holds it.
 * Settling lets go of the promise's resolver and of the timer (whose callback
 * would reach the resolver too). A map set and deleted thousands of times a
 * second leaves deleted entries reachable from its discarded tables until the
 * next full collection; holding the resolver, each such entry would keep its
 * settled promise and the reply's bytes alive through every young-generation
 * collection, and a full collection ran several times a second. Only this
 * small record is kept that way now.
 */
class Pending {
  private timer?: NodeJS.Timeout;

  constructor(private resolver: ((msg: Msg | undefined) => void) | undefined) {}

  startTimer(ms: number, onTimeout: () => void): void {
    this.timer = setTimeout(onTimeout, ms);
  }

  /** The reply, or undefined for none; only the first call counts. */
  settle(msg: Msg | undefined): void {
    const resolve = this.resolver;
    clearTimeout(this.timer);
    this.resolver = undefined;
    this.timer = undefined;
    resolve?.(msg);
  }
}

/**
 * Request/reply over NATS with a deadline. No responder answers 503 at once;
 * a slow one 504 after the timeout. Never hangs.
 *
 * Replies come back on one subscription of this client's (`<inbox>.<n>`) and
 * are matched to their request here: the same pattern as the `nats` client's
 * own request, without the promise, timer object and two error objects it
 * builds for every call, which were a measurable share of the gateway's CPU.
 */
export class RpcClient {
  private readonly inbox: string;
  private readonly pending = new Map<string, Pending>();
  private readonly replies: Subscription;
  private next = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly defaultTimeoutMs: number,
  ) {
    this.inbox = createInbox(inboxPrefixOf(nc));
    this.replies = nc.subscribe(`${this.inbox}.*`, {
      callback: (error, msg) => {
        if (error) return;
        const token = msg.subject.slice(this.inbox.length + 1);
        const waiting = this.pending.get(token);
        if (!waiting) return; // answered after its deadline
        this.pending.delete(token);
        waiting.settle(msg);
      },
    });
  }

  async request<T>(subject: string, data: unknown, options: RpcCallOptions = {}): Promise<T> {
    return dataOf<T>(await this.traced(subject, data, options));
  }

  /**
   * The answer's `data` as the JSON text the service wrote, not parsed: for
   * answers passed on unchanged (a page of a list), which would otherwise be
   * parsed here only to be written out again. Refusals throw as `request`'s do.
   */
  async requestJson(subject: string, data: unknown, options: RpcCallOptions = {}): Promise<Buffer> {
    const body = await this.traced(subject, data, options);
    // The server writes a success as JSON.stringify({ ok: true, data }): the data is what lies between.
    // A view of the received bytes, not a copy of them (a page of 100 clients is ~30 KB).
    if (body.length > OK_PREFIX.length && body[body.length - 1] === 0x7d && OK_PREFIX.every((byte, i) => body[i] === byte)) {
      return Buffer.from(body.buffer, body.byteOffset + OK_PREFIX.length, body.length - OK_PREFIX.length - 1);
    }
    return Buffer.from(JSON.stringify(dataOf(body)));
  }

  /** With tracing on, the exchange in a client span of its own (ADR 0018), when it is part of a trace. */
  private traced(subject: string, data: unknown, options: RpcCallOptions): Promise<Uint8Array> {
    if (!tracingEnabled()) return this.exchange(subject, data, options);
    return withSpan(`nats ${subject}`, 'client', () => this.exchange(subject, data, options), {
      requireParent: true,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': `${this.prefix}${subject}` },
    });
  }

  /** Sends one request and resolves with the reply's body; no answer, no responder and a lost bus are errors. */
  private async exchange(subject: string, data: unknown, options: RpcCallOptions): Promise<Uint8Array> {
    const service = subject.split('.')[0];
    // While the connection is being re-established a request would only wait out its deadline.
    if (!natsConnected(this.nc) || this.replies.isClosed()) {
      throw new RpcError(ErrorCodes.serviceUnavailable, 503, 'The message bus is not available.');
    }
    const h = natsHeaders();
    if (options.requestId) h.set(Headers.requestId, options.requestId);
    if (options.caller) h.set(Headers.caller, JSON.stringify(options.caller));
    if (options.idempotencyKey) h.set(Headers.idempotencyKey, options.idempotencyKey);
    // Where a change comes from, for the services' audit trails: only changing requests carry it.
    const origin = currentRequestOrigin();
    if (origin?.ip) h.set(Headers.clientIp, origin.ip);
    if (origin?.userAgent) h.set(Headers.clientUserAgent, headerSafe(origin.userAgent));
    // W3C traceparent/tracestate: the active span's, or the ones the HTTP request came with.
    injectTraceHeaders(h);
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    const token = (this.next++).toString(36);
    const msg = await new Promise<Msg | undefined>((resolve) => {
      const waiting = new Pending(resolve);
      const giveUp = () => {
        this.pending.delete(token);
        waiting.settle(undefined);
      };
      waiting.startTimer(timeout, giveUp);
      this.pending.set(token, waiting);
      sendThisTurn(() => this.nc.publish(`${this.prefix}${subject}`, JSON.stringify(data ?? {}), { reply: `${this.inbox}.${token}`, headers: h })).catch(giveUp);
    });
    if (!msg) throw new RpcError(ErrorCodes.timeout, 504, `The ${service} service did not answer within ${timeout} ms.`);
    // The server's own answer when nobody listens on the subject: an empty message with status 503.
    if (!msg.data.length && msg.headers?.code === 503) {
      throw new RpcError(ErrorCodes.serviceUnavailable, 503, `The ${service} service is not available.`);
    }
    return msg.data;
  }
}

/** A client's text as a header value: printable, and no longer than a service keeps. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_USER_AGENT);
}

/** The services keep at most this much of a user agent. */
const MAX_USER_AGENT = 512;

/** The data of a success; a refusal thrown as the service's error. */
function dataOf<T>(body: Uint8Array): T {
  const reply = JSON.parse(utf8.decode(body)) as RpcReply<T>;
  if (!reply.ok) throw RpcError.from(reply.error);
  return reply.data;
}
