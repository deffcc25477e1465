export * from './types';
export * from './grpc-server';
export * from './circuit-breaker';
export * from './grpc-downstream';
