import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG } from '@shop/service-kit';
import type { GatewayConfig } from '../config';
import { AnswerCache } from './answer-cache';

/** Public catalogue answers: product pages, categories, listings. */
export const CATALOGUE_CACHE = Symbol('CATALOGUE_CACHE');
/** Shoppers' profiles, as the user service last answered them. */
export const PROFILE_CACHE = Symbol('PROFILE_CACHE');

export const answerCacheProviders: Array<FactoryProvider<AnswerCache>> = [
  {
    provide: CATALOGUE_CACHE,
    inject: [APP_CONFIG],
    useFactory: (config: GatewayConfig) =>
      new AnswerCache({
        maxEntries: config.CATALOGUE_CACHE_ENTRIES,
        maxChars: config.CATALOGUE_CACHE_MB * 1024 * 1024,
        maxAgeMs: config.CATALOGUE_CACHE_MAX_AGE_SECONDS * 1000,
      }),
  },
  {
    provide: PROFILE_CACHE,
    inject: [APP_CONFIG],
    useFactory: (config: GatewayConfig) =>
      new AnswerCache({ maxEntries: config.PROFILE_CACHE_ENTRIES, maxAgeMs: config.CATALOGUE_CACHE_MAX_AGE_SECONDS * 1000 }),
  },
];
