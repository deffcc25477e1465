import { Injectable } from '@nestjs/common';
import { reviewV1 } from '@shop/contracts';
import type { ServiceHandlers } from '@shop/grpc';
import { type RatingSummary, ReviewsService, type StoredReview } from './reviews/reviews.service';

/**
 * Reviews held in memory for lists (HeldReviewLists) are answered again and again as the same
 * objects: each is mapped once (two dates to text each time were the handler's largest own cost).
 */
const mapped = new WeakMap<StoredReview, reviewV1.Review>();

function toReview(review: StoredReview): reviewV1.Review {
  let message = mapped.get(review);
  if (!message) {
    message = toReviewMessage(review);
    mapped.set(review, message);
  }
  return message;
}

function toReviewMessage(review: StoredReview): reviewV1.Review {
  return {
    id: review._id,
    productId: review.productId,
    userId: review.userId,
    authorName: review.authorName,
    rating: review.rating,
    title: review.title,
    body: review.body,
    verifiedPurchase: review.verifiedPurchase,
    status: review.status,
    helpfulCount: review.helpfulCount,
    createdAt: review.createdAt.toISOString(),
    updatedAt: review.updatedAt.toISOString(),
    moderationReason: review.moderationReason,
  };
}

const toSummary = (summary: RatingSummary): reviewV1.RatingSummary => ({ ...summary, histogram: [...summary.histogram] });

/** The ReviewService contract, mapped onto ReviewsService. */
@Injectable()
export class ReviewGrpcHandlers implements ServiceHandlers<typeof reviewV1.ReviewServiceService> {
  constructor(private readonly reviews: ReviewsService) {}

  async createReview(request: reviewV1.CreateReviewRequest): Promise<reviewV1.Review> {
    return toReview(await this.reviews.create(request));
  }

  async updateReview(request: reviewV1.UpdateReviewRequest): Promise<reviewV1.Review> {
    return toReview(await this.reviews.update(request));
  }

  async deleteReview(request: reviewV1.DeleteReviewRequest): Promise<reviewV1.DeleteReviewResponse> {
    await this.reviews.delete(request.userId, request.reviewId);
    return {};
  }

  async listProductReviews(request: reviewV1.ListProductReviewsRequest): Promise<reviewV1.ListProductReviewsResponse> {
    const page = await this.reviews.listForProduct(request);
    return { ...page, items: page.items.map(toReview), summary: toSummary(page.summary) };
  }

  async markHelpful(request: reviewV1.MarkHelpfulRequest): Promise<reviewV1.Review> {
    return toReview(await this.reviews.markHelpful(request.userId, request.reviewId));
  }

  async getRatingSummary(request: reviewV1.GetRatingSummaryRequest): Promise<reviewV1.RatingSummary> {
    return toSummary(await this.reviews.summary(request.productId));
  }

  async listReviews(request: reviewV1.ListReviewsRequest): Promise<reviewV1.ListReviewsResponse> {
    const page = await this.reviews.listByStatus(request);
    return { ...page, items: page.items.map(toReview) };
  }

  async moderateReview(request: reviewV1.ModerateReviewRequest): Promise<reviewV1.Review> {
    return toReview(await this.reviews.moderate(request));
  }
}
