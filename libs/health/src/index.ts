export * from './health-check';
export * from './health.controller';
