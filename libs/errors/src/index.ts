export * from './error-shape';
export * from './app-error';
export * from './grpc-status';
