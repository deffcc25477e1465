export * from './database-url';
export * from './migrator';
export * from './postgres-health';
export * from './unique-violation';
export * from './sql-database';
