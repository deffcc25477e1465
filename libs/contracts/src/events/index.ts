export * from './integration-event';
export * from './user-events';
