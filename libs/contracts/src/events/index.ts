export * from './integration-event';
export * from './money';
export * from './inventory-events';
export * from './order-events';
export * from './payment-events';
export * from './product-events';
export * from './user-events';
export * from './checkout-commands';
