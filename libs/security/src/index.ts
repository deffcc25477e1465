export * from './principal';
export * from './jwks-verifier';
export * from './decorators';
export * from './auth.guard';
export * from './permissions.guard';
export * from './access-revocations';
export * from './route-metadata';
