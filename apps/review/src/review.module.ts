import { Module } from '@nestjs/common';
import { reviewV1 } from '@shop/contracts';
import { HealthController } from '@shop/health';
import { EVENT_BUS, type EventBus, MessagingModule } from '@shop/messaging';
import { APP_CONFIG, LOGGER, MetricsController, provideGrpcService, provideSweeper } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { ReviewConfig } from './config';
import { PurchasesConsumer } from './purchases/purchases.consumer';
import { ReviewGrpcHandlers } from './review.grpc';
import { HeldReviewLists } from './reviews/held-review-lists';
import { ReviewsService } from './reviews/reviews.service';
import { REVIEW_STORE, type ReviewStore, reviewReadinessProvider, reviewStoreProvider } from './store';
import { SummaryOutbox } from './summaries/summary-outbox';
import { SummaryPublisher } from './summaries/summary-publisher';

/**
 * The review service: shoppers' reviews and ratings in MongoDB (a real one, or FerretDB), who may
 * review what from order.confirmed, moderation, and rating summaries published as
 * review.summary_changed for the product service.
 */
@Module({
  imports: [MessagingModule.forRoot({ consumers: [PurchasesConsumer] })],
  controllers: [HealthController, MetricsController],
  providers: [
    reviewStoreProvider,
    // The event bus being away does not make it unready: summaries owed wait in the summary outbox.
    reviewReadinessProvider,
    provideSweeper(SummaryPublisher, [REVIEW_STORE, EVENT_BUS, LOGGER, APP_CONFIG], (store: ReviewStore, bus: EventBus, logger: Logger, config: ReviewConfig) =>
      new SummaryPublisher(store, bus, logger, config.REVIEW_SUMMARY_INTERVAL_MS),
    ),
    provideGrpcService('ReviewService', reviewV1.ReviewServiceService, ReviewGrpcHandlers),
    SummaryOutbox,
    HeldReviewLists,
    ReviewsService,
    PurchasesConsumer,
    ReviewGrpcHandlers,
  ],
})
export class ReviewModule {}
