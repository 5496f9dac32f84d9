export * from './duration';
export * from './load-config';
export * from './common.config';
