import type Redis from 'ioredis';

/** Where cached values live: Redis shared by every replica, or this process's memory (embedded default). */
export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets only when the key is absent: a slow loader never overwrites what an event wrote meanwhile. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Sets unless the entry holds a newer version (the `version` field of its JSON): an event that
   * arrives late or again never puts an older state back. False when it was not set.
   */
  setIfNewer(key: string, value: string, version: number, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Takes a short lock; true for the one caller that got it. */
  tryLock(key: string, ttlMs: number): Promise<boolean>;
  unlock(key: string): Promise<void>;
  ping(): Promise<void>;
}

// Compare and set in one step on the Redis server, so two replicas applying events race safely.
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, entry = pcall(cjson.decode, current)
  if ok and type(entry) == 'table' and tonumber(entry.version) and tonumber(entry.version) > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`;

/** The version of a cached JSON entry, -1 for anything else. */
function entryVersion(raw: string | undefined): number {
  if (!raw) return -1;
  try {
    const version = (JSON.parse(raw) as { version?: unknown } | null)?.version;
    return typeof version === 'number' ? version : -1;
  } catch {
    return -1;
  }
}

export class RedisCacheStore implements CacheStore {
  constructor(private readonly redis: Redis) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(key, value, 'PX', ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(key, value, 'PX', ttlMs, 'NX');
  }

  async setIfNewer(key: string, value: string, version: number, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(SET_IF_NEWER, 1, key, value, String(version), String(ttlMs))) === 1;
  }

  async del(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async tryLock(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async unlock(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}

export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<void> {
    if ((await this.get(key)) === undefined) await this.set(key, value, ttlMs);
  }

  async setIfNewer(key: string, value: string, version: number, ttlMs: number): Promise<boolean> {
    if (entryVersion(await this.get(key)) > version) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async tryLock(key: string, ttlMs: number): Promise<boolean> {
    if ((await this.get(key)) !== undefined) return false;
    await this.set(key, '1', ttlMs);
    return true;
  }

  async unlock(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async ping(): Promise<void> {}
}
