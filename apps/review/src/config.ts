import { booleanFlag, commaList, commonSchema, eventBusShape, port, requireEventBus } from '@shop/config';
import { isMongoUrl } from '@shop/mongo';
import { z } from 'zod';

export const reviewConfigSchema = commonSchema
  .extend({
    ...eventBusShape,
    /** The review service's MongoDB database (named in the path), a real MongoDB or FerretDB. */
    MONGO_URL: z.string().refine(isMongoUrl, 'must be a mongodb:// or mongodb+srv:// URL naming the database, e.g. mongodb://mongo:27017/shop_review'),
    HOST: z.string().default('0.0.0.0'),
    GRPC_PORT: port(50058),
    HTTP_PORT: port(9108),
    /** Applies the MongoDB migrations (indexes) at start-up; the Helm chart runs them as a Job instead. */
    MIGRATE_ON_START: booleanFlag(true),
    /** Words (case-insensitive, whole words) that send a review to moderation instead of publishing it. */
    REVIEW_BLOCKED_WORDS: commaList,
    /** How often rating summaries still to be published are looked for (a write also wakes the loop). */
    REVIEW_SUMMARY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    /**
     * Memory for products' published reviews held for their lists, in MB, in all (least recently
     * used products go first; a product whose reviews alone take more is never held and reads its
     * lists from the database); 0 holds none. About 9 MB per 10,000 reviews of the bench's size,
     * up to about 8 KB for a review of the longest text (see README, Reviews and ratings).
     */
    REVIEW_LISTS_HELD_MB: z.coerce.number().int().min(0).max(4096).default(32),
  })
  .superRefine(requireEventBus);

export type ReviewConfig = z.infer<typeof reviewConfigSchema>;
