export * from './pino-nest-logger';
export * from './http-error.filter';
export * from './metrics.controller';
export * from './observability.tokens';
export * from './create-http-app';
export * from './shutdown';
export * from './run-service';
export * from './batch-sweeper';
