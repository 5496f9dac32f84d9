import { ErrorCode as NatsErrorCode, NatsConnection, NatsError, headers as natsHeaders } from 'nats';
import { ErrorCodes, Headers, type Caller, type RpcReply } from '@clientele/contracts';
import { natsConnected } from './nats-connection';
import { RpcError } from './rpc-error';

export interface RpcCallOptions {
  caller?: Caller;
  requestId?: string;
  timeoutMs?: number;
  /** The client's Idempotency-Key of a POST, for the service to replay the first answer. */
  idempotencyKey?: string;
}

/**
 * Request/reply over NATS with a deadline. No responder answers 503 at once;
 * a slow one 504 after the timeout. Never hangs.
 */
export class RpcClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly defaultTimeoutMs: number,
  ) {}

  async request<T>(subject: string, data: unknown, options: RpcCallOptions = {}): Promise<T> {
    const h = natsHeaders();
    if (options.requestId) h.set(Headers.requestId, options.requestId);
    if (options.caller) h.set(Headers.caller, JSON.stringify(options.caller));
    if (options.idempotencyKey) h.set(Headers.idempotencyKey, options.idempotencyKey);
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    let raw: Uint8Array;
    try {
      // While the connection is being re-established a request would only wait out its deadline.
      if (!natsConnected(this.nc)) throw new RpcError(ErrorCodes.serviceUnavailable, 503, 'The message bus is not available.');
      const msg = await this.nc.request(`${this.prefix}${subject}`, JSON.stringify(data ?? {}), { timeout, headers: h });
      raw = msg.data;
    } catch (error) {
      throw toRpcError(error, subject, timeout);
    }
    const reply = JSON.parse(new TextDecoder().decode(raw)) as RpcReply<T>;
    if (!reply.ok) throw RpcError.from(reply.error);
    return reply.data;
  }
}

function toRpcError(error: unknown, subject: string, timeout: number): RpcError {
  if (error instanceof RpcError) return error;
  const service = subject.split('.')[0];
  if (error instanceof NatsError) {
    if (error.code === NatsErrorCode.NoResponders) {
      return new RpcError(ErrorCodes.serviceUnavailable, 503, `The ${service} service is not available.`);
    }
    if (error.code === NatsErrorCode.Timeout) {
      return new RpcError(ErrorCodes.timeout, 504, `The ${service} service did not answer within ${timeout} ms.`);
    }
  }
  return new RpcError(ErrorCodes.serviceUnavailable, 503, `The ${service} service could not be reached.`);
}
