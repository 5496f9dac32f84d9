import { Injectable } from '@nestjs/common';
import type { Caller } from '@clientele/contracts';
import { RpcClient } from '@clientele/messaging';
import { currentRequestId } from '@clientele/observability';

/** Forwards a request to a service over NATS with the caller and the request id. */
@Injectable()
export class Bus {
  constructor(private readonly rpc: RpcClient) {}

  request<T>(subject: string, data: unknown, caller: Caller, options: { idempotencyKey?: string } = {}): Promise<T> {
    return this.rpc.request<T>(subject, data, { caller, requestId: currentRequestId(), ...options });
  }

  /** The answer as the service's JSON text, for answers the gateway passes on unchanged. */
  requestJson(subject: string, data: unknown, caller: Caller): Promise<Buffer> {
    return this.rpc.requestJson(subject, data, { caller, requestId: currentRequestId() });
  }
}
