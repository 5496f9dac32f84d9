export * from './environment';
export * from './database';
export * from './ports';
export * from './stack';
export * from './http';
export * from './nats-server';
export * from './smtp';
export * from './tcp-proxy';
