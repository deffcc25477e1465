import type { HealthCheck } from '@shop/health';
import { type Db, MongoClient } from 'mongodb';
import { mongoDatabaseName } from './mongo-url';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export interface ConnectMongoOptions {
  /** The database when the URL names none. */
  database?: string;
  /** Shown in the server's logs and currentOp. */
  appName?: string;
  maxPoolSize?: number;
  /** How long an operation waits for a server to answer before it fails (the service is then unready, not hung). */
  serverSelectionTimeoutMs?: number;
}

/**
 * A connected client and the service's database: the one in the URL's path, else `database`.
 * Works the same against a real MongoDB and FerretDB: no retryable writes are needed (a single
 * server or a replica set both fine), no transactions are used anywhere.
 */
export async function connectMongo(url: string, options: ConnectMongoOptions = {}): Promise<MongoConnection> {
  const name = mongoDatabaseName(url) ?? options.database;
  if (!name) throw new Error('MONGO_URL names no database and none was given');
  const client = new MongoClient(url, {
    appName: options.appName,
    maxPoolSize: options.maxPoolSize ?? 20,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
    // Only ever talk to what the URL says: tests and the embedded default point at one loopback server.
    ignoreUndefined: true,
  });
  await client.connect();
  return { client, db: client.db(name), close: () => client.close() };
}

/** Readiness: the database answers a ping. */
export function mongoHealthCheck(db: Db, name = 'mongodb'): HealthCheck {
  return { name, check: async () => void (await db.command({ ping: 1 })) };
}
