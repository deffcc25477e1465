import { SqlDatabase } from '@shop/persistence';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import { Pool } from 'pg';

describe('SqlDatabase against real Postgres', () => {
  let db: TestDatabase;
  let pool: Pool;
  let sql: SqlDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('sqldb');
    pool = new Pool({ connectionString: db.url, max: 2 });
    sql = new SqlDatabase(pool);
    await sql.$executeRaw`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, seen_at timestamptz NOT NULL DEFAULT now())`;
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('types results as Prisma types them: bigint as BigInt, timestamps as Dates, json as values', async () => {
    const [row] = await sql.$queryRaw<Array<{ big: bigint; small: number; at: Date; doc: { a: number[] }; missing: null }>>`
      SELECT 9007199254740993::bigint AS big, 7::int AS small, now() AS at, '{"a":[1,2]}'::jsonb AS doc, NULL AS missing`;
    expect(row).toEqual({ big: 9007199254740993n, small: 7, at: expect.any(Date), doc: { a: [1, 2] }, missing: null });
  });

  it('counts changed rows and takes arrays as parameters', async () => {
    const inserted = await sql.$executeRaw`
      INSERT INTO items (id, name) SELECT * FROM unnest(${[1, 2, 3]}::int[], ${['one', "it's two", 'three']}::text[])`;
    expect(inserted).toBe(3);
    expect(await sql.$executeRaw`UPDATE items SET name = upper(name) WHERE id = ANY(${[1, 3, 99]}::int[])`).toBe(2);
    expect(await sql.$queryRaw`SELECT id, name FROM items ORDER BY id`).toEqual([
      { id: 1, name: 'ONE' },
      { id: 2, name: "it's two" },
      { id: 3, name: 'THREE' },
    ]);
  });

  it('commits a transaction that resolves, and answers what it returned', async () => {
    const answer = await sql.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO items (id, name) VALUES (${10}, ${'ten'})`;
      return tx.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM items WHERE id = 10`;
    });
    expect(answer).toEqual([{ n: 1 }]);
    expect(await sql.$queryRaw`SELECT name FROM items WHERE id = 10`).toEqual([{ name: 'ten' }]);
  });

  it('rolls back every write of a transaction that throws, and throws its error', async () => {
    const refusal = new Error('refused on purpose');
    await expect(
      sql.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO items (id, name) VALUES (${20}, ${'twenty'})`;
        await tx.$executeRaw`UPDATE items SET name = 'changed' WHERE id = 1`;
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(await sql.$queryRaw`SELECT id, name FROM items WHERE id IN (1, 20) ORDER BY id`).toEqual([{ id: 1, name: 'ONE' }]);
  });

  it('rolls back after a failed statement and leaves the connection usable', async () => {
    await expect(
      sql.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO items (id, name) VALUES (${30}, ${'thirty'})`;
        await tx.$executeRaw`INSERT INTO items (id, name) VALUES (${1}, ${'duplicate'})`;
      }),
    ).rejects.toMatchObject({ code: '23505' });
    // Both connections of the pool, again and again: none was left inside the aborted transaction.
    for (let round = 0; round < 4; round++) {
      await expect(sql.$transaction((tx) => tx.$queryRaw`SELECT count(*)::int AS n FROM items WHERE id = 30`)).resolves.toEqual([{ n: 0 }]);
    }
  });

  it('prepares each call site once per connection, and answers every call with its own values', async () => {
    const nameOf = (id: number) => sql.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<Array<{ name: string }>>`SELECT name FROM items WHERE id = ${id}`;
      const prepared = await tx.$queryRaw<Array<{ statement: string }>>`SELECT statement FROM pg_prepared_statements WHERE statement = 'SELECT name FROM items WHERE id = $1'`;
      return { name: row?.name, prepared: prepared.length };
    });
    const answers = await Promise.all([1, 2, 3, 1, 2, 3].map(nameOf));
    expect(answers.map((answer) => answer.name)).toEqual(['ONE', "it's two", 'THREE', 'ONE', "it's two", 'THREE']);
    // However often it ran, a connection holds the statement once.
    for (const { prepared } of answers) expect(prepared).toBe(1);
  });

  it('holds row locks until the transaction ends', async () => {
    const order: string[] = [];
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const first = sql.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM items WHERE id = 2 FOR UPDATE`;
      locked();
      await new Promise((resolve) => setTimeout(resolve, 150));
      order.push('first commits');
    });
    await lockTaken;
    await sql.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM items WHERE id = 2 FOR UPDATE`;
      order.push('second has the lock');
    });
    await first;
    expect(order).toEqual(['first commits', 'second has the lock']);
  });
});
