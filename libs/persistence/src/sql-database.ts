import { type Pool, type PoolClient, type QueryResultRow, types } from 'pg';

/**
 * Raw SQL as tagged templates, the shape Prisma's `$queryRaw`/`$executeRaw`/`$transaction` have, run
 * straight on the service's `pg` pool (the one its Prisma client also uses). The hottest statements
 * of a checkout come here: through Prisma, a raw query costs about three times the CPU of the same
 * query on `pg`, and an interactive transaction about five times (its transaction manager and query
 * interpreter; measured in the README's checkout section). Everything else stays on Prisma.
 */
export interface SqlClient {
  /** The rows of a statement; values become $1…$n parameters, never SQL text. */
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): Promise<T>;
  /** How many rows a statement changed. */
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
}

/** A tagged template as pg takes it: the strings joined by $1…$n, the values as its parameters. */
export function sqlOf(strings: TemplateStringsArray, values: unknown[]): { text: string; values: unknown[] } {
  let text = strings[0]!;
  for (let index = 1; index < strings.length; index++) text += `$${index}${strings[index]!}`;
  return { text, values };
}

const BIGINT_OID = 20;

/**
 * Results typed as Prisma's raw queries type them, so a statement reads the same on either: a
 * bigint is a BigInt (pg's default is a string), the rest as pg parses it (timestamps as Dates,
 * json as values). Given per query, so the pool's other users keep pg's defaults.
 */
const PRISMA_LIKE_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === BIGINT_OID && format !== 'binary') return (value: string) => BigInt(value);
    return types.getTypeParser(oid, format);
  },
};

/**
 * One prepared statement per call site: a tagged template's strings are one object per site, the
 * same on every call, so a connection parses and plans each hot statement once instead of per call.
 */
const statementNames = new WeakMap<TemplateStringsArray, string>();
let statementCount = 0;

function statementName(strings: TemplateStringsArray): string {
  let name = statementNames.get(strings);
  if (!name) {
    statementCount += 1;
    name = `shop_sql_${statementCount}`;
    statementNames.set(strings, name);
  }
  return name;
}

/** Statements on a pool (each on whichever connection is free) or on one connection (a transaction's). */
class SqlRunner implements SqlClient {
  constructor(private readonly runner: Pool | PoolClient) {}

  async $queryRaw<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T> {
    return (await this.run(strings, values)).rows as T;
  }

  async $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): Promise<number> {
    return (await this.run(strings, values)).rowCount ?? 0;
  }

  private run(strings: TemplateStringsArray, values: unknown[]) {
    return this.runner.query<QueryResultRow>({ name: statementName(strings), ...sqlOf(strings, values), types: PRISMA_LIKE_TYPES });
  }
}

/** Statements and transactions on a pool (a connection is waited for as long as the pool's `connectionTimeoutMillis`). */
export class SqlDatabase extends SqlRunner {
  constructor(private readonly pool: Pool) {
    super(pool);
  }

  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
   * it throws (its error is the one thrown). A connection whose rollback failed is discarded.
   */
  async $transaction<R>(work: (tx: SqlClient) => Promise<R>): Promise<R> {
    const connection = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await connection.query('BEGIN');
      try {
        const result = await work(new SqlRunner(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      }
    } finally {
      connection.release(broken);
    }
  }
}
