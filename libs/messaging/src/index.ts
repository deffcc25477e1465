export * from './event-bus';
export * from './delivery';
export * from './kafka-event-bus';
export * from './postgres-event-log';
export * from './create-event-bus';
export * from './outbox';
export * from './outbox-relay';
export * from './inbox';
