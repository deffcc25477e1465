export * from './mongo-url';
export * from './errors';
export * from './connect';
export * from './migrations';
export * from './memory-server';
