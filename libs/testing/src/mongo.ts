import { withMongoDatabase } from '@shop/mongo';
import { MongoClient } from 'mongodb';
import { testInfra } from './infra';
import { uniqueName } from './test-database';

export interface TestMongoDatabase {
  name: string;
  /** `mongodb://host:port/<name>`: what a service takes as MONGO_URL. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test MongoDB (FerretDB here, a real mongod where one is given); drop() removes it. */
export async function createTestMongoDatabase(prefix: string): Promise<TestMongoDatabase> {
  const name = uniqueName(prefix);
  const server = testInfra().mongoUrl;
  return {
    name,
    url: withMongoDatabase(server, name),
    drop: async () => {
      const client = new MongoClient(server, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.connect();
        await client.db(name).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}
