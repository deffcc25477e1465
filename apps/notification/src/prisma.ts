import type { SqlClient } from '@shop/persistence';

/**
 * The notification service runs all of its statements as raw SQL on `pg` (SqlDatabase): its Prisma
 * schema (prisma/notification) describes the tables and is checked against the migrations, but no
 * Prisma client runs in the service.
 */
export type Tx = SqlClient;
