import { createHash } from 'node:crypto';

/** An answer as it goes out: the JSON body, its entity tag and what it was made from. */
export interface CachedAnswer {
  body: string;
  etag: string;
  expiresAt: number;
  /** What the answer depends on: `product:<id>`, `sku:<sku>`, `listings`, `user:<id>`… */
  tags: readonly string[];
  /** The language of its text, for Content-Language (catalogue answers). */
  language?: string;
}

export interface AnswerCacheOptions {
  maxEntries: number;
  /**
   * The most the kept bodies may take in all, in characters (a byte each for the JSON of Latin-1
   * text, two past it). Answers differ in size by a hundredfold (a product page, a page of 100
   * reviews), so a bound on entries alone did not bound the memory: 10,000 review pages held about
   * 150 MB. Unbounded when absent.
   */
  maxChars?: number;
  /** An answer older than this is read again, events or not: the bound while the bus is unreachable. */
  maxAgeMs: number;
  now?: () => number;
}

/** More remembered invalidations than this and the cache forgets them all, refusing answers read before. */
const MAX_REMEMBERED_TAGS = 100_000;

export function entityTag(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Whether an If-None-Match header names this entity tag (weak comparison, as RFC 9110 asks for GET). */
export function matchesEntityTag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/**
 * The gateway's copy of answers it read from the services, dropped by tag as the events that change
 * them arrive (catalogue and stock events for the catalogue, profile events for profiles).
 * An answer read from the services is stored only if none of its tags was invalidated after the read
 * began (`begin()` hands out that ticket), so an event that overtakes a slow read never leaves the
 * older answer behind. Entries go first in, first out past `maxEntries` or `maxChars`; an answer larger
 * than `maxChars` alone is not kept.
 */
export class AnswerCache {
  private readonly answers = new Map<string, CachedAnswer>();
  private readonly keysByTag = new Map<string, Set<string>>();
  private readonly invalidatedAt = new Map<string, number>();
  private sequence = 0;
  private chars = 0;
  /** Reads begun before this were made before invalidations the cache no longer remembers. */
  private forgottenBefore = 0;
  private readonly now: () => number;

  constructor(private readonly options: AnswerCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.answers.size;
  }

  /** Characters of the bodies kept. */
  get charsHeld(): number {
    return this.chars;
  }

  get(key: string): CachedAnswer | undefined {
    const answer = this.answers.get(key);
    if (answer && this.now() >= answer.expiresAt) {
      this.remove(key);
      return undefined;
    }
    return answer;
  }

  /** The ticket of a read about to begin. */
  begin(): number {
    return this.sequence;
  }

  /** Whether nothing at all was invalidated since the ticket was taken. */
  unchangedSince(ticket: number): boolean {
    return this.sequence === ticket;
  }

  /**
   * The answer for what was read; kept for the next request unless one of its tags changed meanwhile,
   * for `maxAgeMs` at most when that is shorter than the cache's own bound.
   */
  put(key: string, ticket: number, body: string, tags: readonly string[], maxAgeMs = this.options.maxAgeMs, language?: string): CachedAnswer {
    const answer: CachedAnswer = { body, etag: entityTag(body), expiresAt: this.now() + Math.min(maxAgeMs, this.options.maxAgeMs), tags, ...(language ? { language } : {}) };
    const overtaken = ticket < this.forgottenBefore || tags.some((tag) => (this.invalidatedAt.get(tag) ?? -1) > ticket);
    const maxChars = this.options.maxChars ?? Infinity;
    if (overtaken || body.length > maxChars) return answer;
    this.remove(key);
    this.answers.set(key, answer);
    this.chars += body.length;
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag) ?? new Set<string>();
      keys.add(key);
      this.keysByTag.set(tag, keys);
    }
    while (this.answers.size > this.options.maxEntries || this.chars > maxChars) this.remove(this.answers.keys().next().value!);
    return answer;
  }

  invalidate(tags: Iterable<string>): void {
    this.sequence += 1;
    if (this.invalidatedAt.size > MAX_REMEMBERED_TAGS) {
      this.invalidatedAt.clear();
      this.forgottenBefore = this.sequence;
    }
    for (const tag of tags) {
      this.invalidatedAt.set(tag, this.sequence);
      for (const key of [...(this.keysByTag.get(tag) ?? [])]) this.remove(key);
    }
  }

  private remove(key: string): void {
    const answer = this.answers.get(key);
    if (!answer) return;
    this.answers.delete(key);
    this.chars -= answer.body.length;
    for (const tag of answer.tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByTag.delete(tag);
    }
  }
}
