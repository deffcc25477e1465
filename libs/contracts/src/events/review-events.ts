import { z } from 'zod';

/** How many published reviews gave each rating, "1" to "5". */
export const RatingHistogramV1 = z.object({ '1': z.number().int().min(0), '2': z.number().int().min(0), '3': z.number().int().min(0), '4': z.number().int().min(0), '5': z.number().int().min(0) });
export type RatingHistogramV1 = z.infer<typeof RatingHistogramV1>;

/**
 * review.summary_changed v1, keyed by product: the rating summary of a product's published reviews
 * as it stands. `version` grows with every change to any of the product's reviews (it is the sum of
 * their revision counters), so a consumer keeps the summary with the highest version and ignores an
 * older one arriving late or twice.
 */
export const ReviewSummaryChangedV1 = z.object({
  productId: z.string().min(1),
  average: z.number().min(0).max(5),
  count: z.number().int().min(0),
  histogram: RatingHistogramV1,
  version: z.number().int().min(0),
});
export type ReviewSummaryChangedV1 = z.infer<typeof ReviewSummaryChangedV1>;
