import { MongoClient } from 'mongodb';
import { Client } from 'pg';

/**
 * Drops what one platform run made on the shared test servers: its Postgres databases (given by URL,
 * dropped through `postgresUrl`'s server) and the MongoDB databases named `<prefix>_…`.
 */
export async function dropPlatformStores(databaseUrls: string[], postgresUrl: string, mongoUrl: string, prefix: string): Promise<void> {
  const admin = new Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    for (const url of databaseUrls) await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const mongo = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5000 });
  try {
    await mongo.connect();
    for (const { name } of (await mongo.db().admin().listDatabases({ nameOnly: true })).databases) {
      if (name.startsWith(`${prefix}_`)) await mongo.db(name).dropDatabase();
    }
  } finally {
    await mongo.close();
  }
}
