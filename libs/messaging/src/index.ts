export * from './rpc-error';
export * from './rpc-client';
export { WITHOUT_UNIT_OF_WORK } from './rpc-server';
export * from './rpc-edge';
export * from './nats-connection';
export * from './nats-transport';
export type { EventBatchRunner, EventConsumerSettings } from './jetstream-consumer';
export * from './jetstream';
export * from './polling-loop';
