import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@shop/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config';
import { type AnswerCache, type CachedAnswer, matchesEntityTag } from '../caching/answer-cache';
import { CATALOGUE_CACHE } from '../caching/answer-caches.provider';

/** What a catalogue route read from the services, and the tags that say when it goes stale. */
export interface CatalogueRead {
  value: unknown;
  tags: string[];
  /** Shorter than the cache's bound for answers from a projection that follows events with a lag. */
  maxAgeMs?: number;
  /** The language the answer's text is in: Content-Language. */
  language?: string;
}

/**
 * Answers public catalogue reads from the catalogue's AnswerCache when it can, with an entity tag and a
 * public Cache-Control (a CDN or a shared cache in front may keep them that long), and 304 to an
 * If-None-Match that names the current tag. Concurrent misses of one URL share one read.
 */
@Injectable()
export class CatalogueAnswers {
  private readonly reading = new Map<string, { ticket: number; answer: Promise<CachedAnswer> }>();
  private readonly cacheControl: string;

  constructor(
    @Inject(CATALOGUE_CACHE) private readonly cache: AnswerCache,
    @Inject(APP_CONFIG) config: GatewayConfig,
  ) {
    this.cacheControl = `public, max-age=${config.CATALOGUE_HTTP_MAX_AGE_SECONDS}`;
  }

  /**
   * `locale`: the answer differs by the locale negotiated from Accept-Language (kept apart per locale,
   * `Vary: Accept-Language` for caches in front).
   */
  async serve(request: FastifyRequest, reply: FastifyReply, read: () => Promise<CatalogueRead>, locale?: string): Promise<string> {
    const key = locale ? `${locale} ${request.url}` : request.url;
    const answer = this.cache.get(key) ?? (await this.readOnce(key, read));
    void reply.header('etag', answer.etag).header('cache-control', this.cacheControl).type('application/json; charset=utf-8');
    if (locale) void reply.header('vary', 'Accept-Language');
    if (answer.language) void reply.header('content-language', answer.language);
    if (matchesEntityTag(request.headers['if-none-match'], answer.etag)) {
      void reply.status(304);
      return '';
    }
    return answer.body;
  }

  private readOnce(key: string, read: () => Promise<CatalogueRead>): Promise<CachedAnswer> {
    const pending = this.reading.get(key);
    // A read begun before an invalidation may hold what it invalidated: join only one begun after.
    if (pending && this.cache.unchangedSince(pending.ticket)) return pending.answer;
    const ticket = this.cache.begin();
    const answer = read()
      .then(({ value, tags, maxAgeMs, language }) => this.cache.put(key, ticket, JSON.stringify(value), tags, maxAgeMs, language))
      .finally(() => {
        if (this.reading.get(key)?.answer === answer) this.reading.delete(key);
      });
    this.reading.set(key, { ticket, answer });
    return answer;
  }
}
