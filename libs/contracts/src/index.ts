export * as authV1 from './generated/shop/auth/v1/auth';
export * as inventoryV1 from './generated/shop/inventory/v1/inventory';
export * as orderV1 from './generated/shop/order/v1/order';
export * as paymentV1 from './generated/shop/payment/v1/payment';
export * as productV1 from './generated/shop/product/v1/product';
export * as notificationV1 from './generated/shop/notification/v1/notification';
export * as reviewV1 from './generated/shop/review/v1/review';
export * as userV1 from './generated/shop/user/v1/user';
export * from './events';
