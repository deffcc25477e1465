export * from './types';
export * from './grpc-server';
export * from './circuit-breaker';
export * from './downstream-health';
export * from './grpc-downstream';
