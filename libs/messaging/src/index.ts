export * from './rpc-error';
export * from './rpc-client';
export * from './rpc-edge';
export * from './nats-connection';
export * from './nats-transport';
export type { EventBatchRunner, EventConsumerSettings } from './jetstream-consumer';
export * from './jetstream';
export * from './polling-loop';
