import { connectMongo, isDuplicateKeyError, migrateMongo, type MongoConnection, type MongoMigration } from '@shop/mongo';
import { createTestMongoDatabase, type TestMongoDatabase } from '@shop/testing';

describe('MongoDB migrations (against the test MongoDB: FerretDB here)', () => {
  let database: TestMongoDatabase;
  let mongo: MongoConnection;

  beforeAll(async () => {
    database = await createTestMongoDatabase('mongo_migrations');
    mongo = await connectMongo(database.url, { appName: 'migrations-test' });
  });

  afterAll(async () => {
    await mongo?.close();
    await database?.drop();
  });

  const steps = (calls: string[]): MongoMigration[] => [
    {
      id: '0001-things-unique',
      description: 'one thing per owner and name',
      up: async (db) => {
        calls.push('0001');
        await db.collection('things').createIndex({ owner: 1, name: 1 }, { unique: true, name: 'things_owner_name' });
      },
    },
    {
      id: '0002-things-by-date',
      description: 'newest first',
      up: async (db) => {
        calls.push('0002');
        await db.collection('things').createIndex({ createdAt: -1 }, { name: 'things_created' });
      },
    },
  ];

  it('applies each step once, in order, and records it; concurrent runners take turns', async () => {
    const calls: string[] = [];
    const [first, second] = await Promise.all([migrateMongo(mongo.db, steps(calls)), migrateMongo(mongo.db, steps(calls))]);
    expect(calls).toEqual(['0001', '0002']);
    expect([first.applied, second.applied].sort((a, b) => b.length - a.length)).toEqual([['0001-things-unique', '0002-things-by-date'], []]);

    const again = await migrateMongo(mongo.db, steps(calls));
    expect(again).toEqual({ applied: [], alreadyApplied: ['0001-things-unique', '0002-things-by-date'] });
    expect(calls).toHaveLength(2);

    const indexes = (await mongo.db.collection('things').listIndexes().toArray()).map((index) => index.name);
    expect(indexes).toEqual(expect.arrayContaining(['things_owner_name', 'things_created']));
    await mongo.db.collection('things').insertOne({ owner: 'a', name: 'x' });
    const duplicate = await mongo.db.collection('things').insertOne({ owner: 'a', name: 'x' }).catch((error: unknown) => error);
    expect(isDuplicateKeyError(duplicate)).toBe(true);
    expect(await mongo.db.collection('migrations_lock').countDocuments()).toBe(0);
  });

  it('takes over a lock whose holder died (its lease ran out)', async () => {
    await mongo.db.collection<{ _id: string; owner: string; expiresAt: Date }>('migrations_lock').insertOne({ _id: 'lock', owner: 'dead', expiresAt: new Date(Date.now() - 1000) });
    const calls: string[] = [];
    const result = await migrateMongo(mongo.db, [...steps(calls), { id: '0003-more', description: 'more', up: async () => void calls.push('0003') }]);
    expect(result.applied).toEqual(['0003-more']);
  });

  it('refuses steps out of order', async () => {
    await expect(migrateMongo(mongo.db, [...steps([])].reverse())).rejects.toThrow(/ascending/);
  });
});
