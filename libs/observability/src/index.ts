export * from './request-context';
export * from './json-logger';
export * from './metrics';
export * from './ops.module';
export * from './shutdown';
export * from './tracing';
