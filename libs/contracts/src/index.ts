export * as authV1 from './generated/shop/auth/v1/auth';
export * as userV1 from './generated/shop/user/v1/user';
export * from './events';
