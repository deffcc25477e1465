import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import type { reviewV1 } from '@shop/contracts';
import { CurrentPrincipal, type Principal, Public, RequirePermissions } from '@shop/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CatalogueAnswers } from '../catalog/catalogue-answers';
import { REVIEW_CLIENT, type ReviewClient, USER_CLIENT, type UserClient } from '../downstream/downstreams';
import { SomeChangePipe } from '../validation/some-change.pipe';
import { CreateReviewDto, ModerateReviewDto, ModerationListView, ModerationView, ModerationQueryDto, type RatingSummaryView, ReviewListQueryDto, ReviewListView, ReviewView, UpdateReviewDto } from './reviews.dto';

export function toReviewView(review: reviewV1.Review): ReviewView {
  return {
    id: review.id,
    productId: review.productId,
    authorName: review.authorName,
    rating: review.rating,
    title: review.title,
    body: review.body,
    verifiedPurchase: review.verifiedPurchase,
    status: review.status,
    helpfulCount: review.helpfulCount,
    createdAt: review.createdAt,
    updatedAt: review.updatedAt,
  };
}

export function toSummaryView(summary: reviewV1.RatingSummary | undefined): RatingSummaryView {
  const counts = summary?.histogram ?? [];
  return {
    average: summary?.average ?? 0,
    count: summary?.count ?? 0,
    histogram: { '1': counts[0] ?? 0, '2': counts[1] ?? 0, '3': counts[2] ?? 0, '4': counts[3] ?? 0, '5': counts[4] ?? 0 },
  };
}

/**
 * Shoppers' reviews: anyone reads a product's published reviews with their summary; a shopper whose
 * order holding the product was confirmed writes one (403 otherwise, 409 for a second), edits and
 * deletes it, and finds others' reviews helpful once each. Review text is returned as written:
 * clients must show it as text, never as HTML.
 */
@ApiTags('reviews')
@Controller()
export class ReviewsController {
  constructor(
    @Inject(REVIEW_CLIENT) private readonly reviews: ReviewClient,
    @Inject(USER_CLIENT) private readonly users: UserClient,
    private readonly answers: CatalogueAnswers,
  ) {}

  /** Kept by the gateway like the catalogue, with an entity tag, until the product's reviews change (review.summary_changed). */
  @Get('products/:id/reviews')
  @Public()
  @ApiOkResponse({ type: ReviewListView })
  list(@Param('id', new ParseUUIDPipe()) productId: string, @Query() query: ReviewListQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answers.serve(request, reply, async () => {
      const page = await this.reviews.call('listProductReviews', { productId, sort: query.sort ?? '', rating: query.rating ?? 0, page: query.page ?? 1, limit: query.limit ?? 20 });
      const value: ReviewListView = { items: page.items.map(toReviewView), total: page.total, page: page.page, limit: page.limit, summary: toSummaryView(page.summary) };
      return { value, tags: [`reviews:${productId}`] };
    });
  }

  @Post('products/:id/reviews')
  @ApiBearerAuth()
  @RequirePermissions('reviews:write')
  @ApiCreatedResponse({ type: ReviewView })
  @ApiErrors([403, 'No confirmed order of yours holds the product, or the token lacks reviews:write'], [409, 'You have reviewed the product already'])
  async create(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) productId: string, @Body() body: CreateReviewDto): Promise<ReviewView> {
    // The name shown with the review is the shopper's profile name as it is now.
    const profile = await this.users.call('getProfile', { userId: principal.id });
    const review = await this.reviews.call('createReview', { userId: principal.id, authorName: profile.name, productId, rating: body.rating, title: body.title ?? '', body: body.body });
    return toReviewView(review);
  }

  @Patch('reviews/:id')
  @ApiBearerAuth()
  @RequirePermissions('reviews:write')
  @ApiOkResponse({ type: ReviewView })
  async update(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) reviewId: string, @Body(SomeChangePipe) body: UpdateReviewDto): Promise<ReviewView> {
    return toReviewView(await this.reviews.call('updateReview', { userId: principal.id, reviewId, rating: body.rating, title: body.title, body: body.body }));
  }

  @Delete('reviews/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBearerAuth()
  @RequirePermissions('reviews:write')
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) reviewId: string): Promise<void> {
    await this.reviews.call('deleteReview', { userId: principal.id, reviewId });
  }

  /** Counts once per shopper (again answers the same count); 422 on one's own review. */
  @Post('reviews/:id/helpful')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequirePermissions('reviews:write')
  @ApiOkResponse({ type: ReviewView })
  @ApiErrors([422, 'It is your own review'])
  async helpful(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) reviewId: string): Promise<ReviewView> {
    return toReviewView(await this.reviews.call('markHelpful', { userId: principal.id, reviewId }));
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@RequirePermissions('reviews:moderate')
@Controller('admin/reviews')
export class AdminReviewsController {
  constructor(@Inject(REVIEW_CLIENT) private readonly reviews: ReviewClient) {}

  /** Newest first; a review with a link or a blocked word waits as `pending`. */
  @Get()
  @ApiOkResponse({ type: ModerationListView })
  async list(@Query() query: ModerationQueryDto): Promise<ModerationListView> {
    const page = await this.reviews.call('listReviews', { status: query.status, page: query.page ?? 1, limit: query.limit ?? 20 });
    return { items: page.items.map((review) => ({ ...toReviewView(review), userId: review.userId, moderationReason: review.moderationReason })), total: page.total, page: page.page, limit: page.limit };
  }

  /** Publishes or hides a review, with a reason; a hidden one leaves lists and the product's rating. */
  @Patch(':id')
  @ApiOkResponse({ type: ModerationView })
  async moderate(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) reviewId: string, @Body() body: ModerateReviewDto) {
    const review = await this.reviews.call('moderateReview', { reviewId, status: body.status, reason: body.reason ?? '', moderatorId: principal.id });
    return { ...toReviewView(review), userId: review.userId, moderationReason: review.moderationReason };
  }
}
