export * from './load-config';
export * from './schemas';
export * from './secure-connections';
export * from './test-allowance';
