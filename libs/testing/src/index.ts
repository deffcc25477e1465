export * from './infra';
export * from './test-database';
export * from './schema-drift';
export * from './wait';
export * from './grpc-errors';
export * from './unreachable';
export * from './app-errors';
export * from './stripe-mock';
