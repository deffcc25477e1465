import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { isDuplicateKeyError } from './errors';

/**
 * One step of a database's shape (indexes, collections, a backfill). `id`s sort in the order the
 * steps apply (`0001-reviews-indexes`, `0002-…`). A step must be idempotent: a process that dies
 * after `up` and before the step is recorded runs it again on the next start.
 */
export interface MongoMigration {
  id: string;
  description: string;
  up(db: Db): Promise<void>;
}

export interface MongoMigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export interface MongoMigrateOptions {
  /** How long to wait for another process's run to finish (replicas starting together). */
  lockTimeoutMs?: number;
  /** A lock older than this is taken over (its holder died). */
  lockLeaseMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Applied steps: `{ _id: id, description, appliedAt }`. */
export const MIGRATIONS_COLLECTION = 'migrations';
/** One document while a run is under way: `{ _id: 'lock', owner, expiresAt }`. */
export const MIGRATIONS_LOCK_COLLECTION = 'migrations_lock';

/**
 * Applies the steps not yet recorded in `migrations`, in id order, one process at a time (a lock
 * document with a lease: a unique `_id` is all it needs, which a real MongoDB and FerretDB both
 * enforce; no transactions). A recorded id that the code no longer lists is left alone (an older
 * build may start after a newer one).
 */
export async function migrateMongo(db: Db, migrations: MongoMigration[], options: MongoMigrateOptions = {}): Promise<MongoMigrateResult> {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i - 1]!.id >= migrations[i]!.id) throw new Error(`migration ids must be unique and ascending: ${migrations[i - 1]!.id} before ${migrations[i]!.id}`);
  }
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const leaseMs = options.lockLeaseMs ?? 120_000;
  const owner = randomUUID();
  const locks = db.collection<{ _id: string; owner: string; expiresAt: Date }>(MIGRATIONS_LOCK_COLLECTION);
  const deadline = Date.now() + lockTimeoutMs;
  for (;;) {
    try {
      await locks.insertOne({ _id: 'lock', owner, expiresAt: new Date(Date.now() + leaseMs) });
      break;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // Held: take it over only when its lease ran out.
    const taken = await locks.findOneAndUpdate({ _id: 'lock', expiresAt: { $lt: new Date() } }, { $set: { owner, expiresAt: new Date(Date.now() + leaseMs) } });
    if (taken) break;
    if (Date.now() > deadline) throw new Error(`another process has been migrating ${db.databaseName} for over ${lockTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  try {
    const records = db.collection<{ _id: string; description: string; appliedAt: Date }>(MIGRATIONS_COLLECTION);
    const done = new Set((await records.find({}, { projection: { _id: 1 } }).toArray()).map((record) => record._id));
    const result: MongoMigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      if (done.has(migration.id)) {
        result.alreadyApplied.push(migration.id);
        continue;
      }
      await migration.up(db);
      await records.updateOne({ _id: migration.id }, { $set: { description: migration.description, appliedAt: new Date() } }, { upsert: true });
      options.log?.('applied MongoDB migration', { migration: migration.id });
      result.applied.push(migration.id);
    }
    return result;
  } finally {
    await locks.deleteOne({ _id: 'lock', owner });
  }
}
