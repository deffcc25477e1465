import { status } from '@grpc/grpc-js';
import { createEvent, type EventOf, type IntegrationEvent, reviewV1, topicOf } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { KafkaEventBus } from '@shop/messaging';
import { connectMongo, migrateMongo, type MongoConnection } from '@shop/mongo';
import { createLogger } from '@shop/observability';
import { type RunningService, startService } from '@shop/service-kit';
import { createTestMongoDatabase, eventually, grpcCode, type TestMongoDatabase, testInfra, uniqueName } from '@shop/testing';
import type { Db } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { reviewConfigSchema } from '../src/config';
import { ReviewModule } from '../src/review.module';
import { REVIEW_MIGRATIONS, type ReviewDocument, reviewKey, type SummaryOutboxEntry } from '../src/store';
import { sortKeys } from '../src/reviews/review-input';
import { INTENT_GRACE_MS } from '../src/summaries/outbox-entries';

type Reviews = GrpcDownstream<typeof reviewV1.ReviewServiceService>;

/** A database of its own as a build before migration `before` left it, handed to `check`, then dropped. */
async function withOlderDatabase(name: string, before: string, check: (db: Db) => Promise<void>): Promise<void> {
  const older = await createTestMongoDatabase(name);
  const connection = await connectMongo(older.url);
  try {
    await migrateMongo(connection.db, REVIEW_MIGRATIONS.filter((migration) => migration.id < before));
    await check(connection.db);
  } finally {
    await connection.close();
    await older.drop();
  }
}

describe('review service against a real MongoDB wire server (FerretDB here) and Kafka', () => {
  const run = uniqueName('review');
  const prefix = `${run}.`;
  let database: TestMongoDatabase;
  let mongo: MongoConnection;
  let service: RunningService;
  let api: Reviews;
  let bus: KafkaEventBus;
  const summaries: Array<EventOf<'review.summary_changed'>> = [];

  beforeAll(async () => {
    database = await createTestMongoDatabase('review_it');
    const config = reviewConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      MONGO_URL: database.url,
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      EVENT_TOPIC_PREFIX: prefix,
      EVENT_GROUP_PREFIX: prefix,
      REVIEW_BLOCKED_WORDS: 'scam,rubbish',
      REVIEW_SUMMARY_INTERVAL_MS: '200',
    });
    service = await startService({ name: 'review', config, module: ReviewModule });
    mongo = await connectMongo(database.url);
    api = new GrpcDownstream('review', reviewV1.ReviewServiceService, { target: `127.0.0.1:${service.grpcPort}`, deadlineMs: 10_000, breaker: { failureThreshold: 1000, openMs: 1000 } });
    bus = new KafkaEventBus({ brokers: testInfra().kafkaBrokers.split(','), clientId: run, logger: createLogger('review-it', 'silent') });
    await bus.subscribe({
      groupId: `${prefix}listener`,
      topics: [`${prefix}${topicOf('review.summary_changed')}`],
      handler: async (event: IntegrationEvent) => void summaries.push(event as EventOf<'review.summary_changed'>),
    });
  });

  afterAll(async () => {
    api?.close();
    await bus?.close();
    await service?.stop();
    await mongo?.close();
    await database?.drop();
  });

  async function confirmOrder(userId: string, productIds: string[]): Promise<void> {
    const orderId = randomUUID();
    const event = createEvent('order.confirmed', orderId, { orderId, paymentId: 'pay_1', userId, total: { amount: 1000, currency: 'EUR' }, items: productIds.map((productId, n) => ({ productId, sku: `SKU-${n}` })) });
    await bus.publish([{ topic: `${prefix}order.confirmed`, key: orderId, value: JSON.stringify(event), headers: {} }]);
  }

  /** A shopper whose order holding `productId` was confirmed, once the service has heard of it. */
  async function buyer(productId: string): Promise<string> {
    const userId = randomUUID();
    await confirmOrder(userId, [productId]);
    await eventually(async () => (await mongo.db.collection('purchases').findOne({ userId, productId })) ?? undefined, 30_000, `purchase of ${productId}`);
    return userId;
  }

  const write = (userId: string, productId: string, rating: number, body = 'Solid mug, keeps tea warm.', title = 'Good') =>
    api.call('createReview', { userId, authorName: 'Ada', productId, rating, title, body });

  const lastSummary = (productId: string) => [...summaries].reverse().find((event) => event.payload.productId === productId);

  it('creates its indexes by migration and is ready', async () => {
    const ready = await fetch(`http://127.0.0.1:${service.httpPort}/health/ready`);
    expect(ready.status).toBe(200);
    const names = (await mongo.db.collection('reviews').listIndexes().toArray()).map((index) => index.name);
    expect(names).toEqual(expect.arrayContaining(['reviews_product_user', 'reviews_product_helpful']));
    expect(names).not.toContain('reviews_summary_pending');
    const outboxIndexes = (await mongo.db.collection('summary_outbox').listIndexes().toArray()).map((index) => index.name);
    expect(outboxIndexes).toEqual(expect.arrayContaining(['summary_outbox_due', 'summary_outbox_product']));
    expect(await mongo.db.collection('migrations').countDocuments()).toBe(4);
    const voteIndexes = (await mongo.db.collection('review_votes').listIndexes().toArray()).map((index) => index.name);
    expect(voteIndexes).toEqual(expect.arrayContaining(['review_votes_review', 'review_votes_product']));
  });

  it('migrates a database an older build left: products still flagged summaryPending are owed an announcement, the flag\'s index goes', async () => {
    await withOlderDatabase('review_upgrade', '0003', async (db) => {
      const now = new Date();
      const flagged = { productId: `p-${randomUUID()}`, summaryPending: true };
      const announced = { productId: `p-${randomUUID()}` };
      await db.collection<{ _id: string }>('reviews').insertMany(
        [flagged, flagged, announced].map((fields) => ({ _id: randomUUID(), userId: randomUUID(), rating: 4, status: 'published', rev: 1, createdAt: now, updatedAt: now, ...fields })),
      );
      expect((await migrateMongo(db, REVIEW_MIGRATIONS)).applied).toEqual(['0003-summary-outbox', '0004-helpful-votes']);
      expect(await db.collection('summary_outbox').find({}).toArray()).toEqual([expect.objectContaining({ productId: flagged.productId, kind: 'change' })]);
      expect((await db.collection('reviews').listIndexes().toArray()).map((index) => index.name)).not.toContain('reviews_summary_pending');
    });
  });

  it('lets only a verified buyer review, once; refuses control characters', async () => {
    const productId = `p-${randomUUID()}`;
    expect(await grpcCode(write(randomUUID(), productId, 5))).toBe(status.PERMISSION_DENIED);
    const userId = await buyer(productId);
    const review = await write(userId, productId, 4, 'Sturdy <b>and</b> "nice"');
    expect(review).toMatchObject({ productId, userId, authorName: 'Ada', rating: 4, body: 'Sturdy <b>and</b> "nice"', verifiedPurchase: true, status: 'published', helpfulCount: 0 });
    expect(await grpcCode(write(userId, productId, 5))).toBe(status.ALREADY_EXISTS);
    expect(await grpcCode(write(await buyer(productId), productId, 5, 'a\u0000b'))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(write(userId, productId, 6))).toBe(status.INVALID_ARGUMENT);
    // A profile name longer than a review shows (profiles keep 200 characters) is shortened, not refused.
    const otherProduct = `p-${randomUUID()}`;
    const longName = await api.call('createReview', { userId: await buyer(otherProduct), authorName: 'Ü'.repeat(150), productId: otherProduct, rating: 3, title: '', body: 'fine' });
    expect(longName.authorName).toBe('Ü'.repeat(100));

    // Edit, delete, and write again after deleting.
    const edited = await api.call('updateReview', { userId, reviewId: review.id, rating: 2 });
    expect(edited).toMatchObject({ id: review.id, rating: 2, body: review.body });
    expect(await grpcCode(api.call('updateReview', { userId: randomUUID(), reviewId: review.id, rating: 5 }))).toBe(status.NOT_FOUND);
    await api.call('deleteReview', { userId, reviewId: review.id });
    expect((await api.call('listProductReviews', { productId, sort: '', rating: 0, page: 1, limit: 10 })).total).toBe(0);
    expect(await write(userId, productId, 5)).toMatchObject({ id: review.id, rating: 5, helpfulCount: 0 });
  });

  it('publishes the rating summary of published reviews; moderation holds back links and blocked words, hidden ones leave the summary', async () => {
    const productId = `p-${randomUUID()}`;
    const [a, b, c, d] = await Promise.all([buyer(productId), buyer(productId), buyer(productId), buyer(productId)]);
    await write(a!, productId, 5);
    await write(b!, productId, 4);
    const linked = await write(c!, productId, 1, 'buy at https://cheap.example/now');
    const blocked = await write(d!, productId, 1, 'total SCAM');
    expect(linked).toMatchObject({ status: 'pending', moderationReason: 'contains a link' });
    expect(blocked).toMatchObject({ status: 'pending', moderationReason: 'contains a blocked word' });

    const first = await eventually(async () => {
      const summary = lastSummary(productId);
      return summary?.payload.count === 2 ? summary : undefined;
    }, 20_000, 'summary of two reviews');
    expect(first.payload).toMatchObject({ average: 4.5, count: 2, histogram: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 } });
    expect(first.aggregateId).toBe(productId);

    const pending = await api.call('listReviews', { status: 'pending', page: 1, limit: 100 });
    expect(pending.items.map((item) => item.id)).toEqual(expect.arrayContaining([linked.id, blocked.id]));
    await api.call('moderateReview', { reviewId: linked.id, status: 'published', reason: 'link is the maker\'s site', moderatorId: 'admin' });
    const three = await eventually(async () => (lastSummary(productId)?.payload.count === 3 ? lastSummary(productId) : undefined), 20_000, 'summary of three');
    expect(three!.payload).toMatchObject({ average: 3.33, histogram: { '1': 1, '4': 1, '5': 1 } });
    expect(three!.payload.version).toBeGreaterThan(first.payload.version);

    const listed = await api.call('listProductReviews', { productId, sort: 'rating_asc', rating: 0, page: 1, limit: 10 });
    expect(listed.items.map((item) => item.rating)).toEqual([1, 4, 5]);
    expect(listed.summary).toMatchObject({ average: 3.33, count: 3, histogram: [1, 0, 0, 1, 1] });

    const hidden = await api.call('moderateReview', { reviewId: linked.id, status: 'hidden', reason: 'spam', moderatorId: 'admin' });
    expect(hidden).toMatchObject({ status: 'hidden', moderationReason: 'spam' });
    await eventually(async () => (lastSummary(productId)?.payload.count === 2 ? true : undefined), 20_000, 'hidden review out of the summary');
    const onlyFives = await api.call('listProductReviews', { productId, sort: '', rating: 5, page: 1, limit: 10 });
    expect(onlyFives.items.map((item) => item.userId)).toEqual([a]);
  });

  it('counts helpful votes once per shopper, not on one\'s own review, and sorts by them', async () => {
    const productId = `p-${randomUUID()}`;
    const [a, b] = await Promise.all([buyer(productId), buyer(productId)]);
    const first = await write(a!, productId, 3);
    const second = await write(b!, productId, 4);
    const voter = randomUUID();
    expect((await api.call('markHelpful', { userId: voter, reviewId: first.id })).helpfulCount).toBe(1);
    expect((await api.call('markHelpful', { userId: voter, reviewId: first.id })).helpfulCount).toBe(1);
    expect((await api.call('markHelpful', { userId: b!, reviewId: first.id })).helpfulCount).toBe(2);
    expect(await grpcCode(api.call('markHelpful', { userId: a!, reviewId: first.id }))).toBe(status.FAILED_PRECONDITION);
    const byHelpful = await api.call('listProductReviews', { productId, sort: 'helpful', rating: 0, page: 1, limit: 10 });
    expect(byHelpful.items.map((item) => item.id)).toEqual([first.id, second.id]);
    const byNewest = await api.call('listProductReviews', { productId, sort: 'newest', rating: 0, page: 1, limit: 10 });
    expect(byNewest.items.map((item) => item.id)).toEqual([second.id, first.id]);
  });

  it('loses no summary when a process dies between the write and the publish', async () => {
    // What a process leaves behind when it dies right after writing a review, INTENT_GRACE_MS ago:
    // the review and the intent written before it, no change entry, no event. The review is set down first:
    // the intent is due at once, and a publisher round between the two would find no review yet.
    const productId = `p-${randomUUID()}`;
    const now = new Date();
    await mongo.db.collection<ReviewDocument>('reviews').insertOne({
      _id: randomUUID(), productId, userId: randomUUID(), authorName: 'Bo', rating: 2, title: '', body: 'ok', verifiedPurchase: true, status: 'published',
      moderationReason: '', helpfulCount: 0, voters: [], rev: 1, createdAt: now, updatedAt: now,
    });
    await mongo.db.collection<SummaryOutboxEntry>('summary_outbox').insertOne({ _id: randomUUID(), productId, kind: 'intent', dueAt: new Date(now.getTime() - 1), createdAt: new Date(now.getTime() - INTENT_GRACE_MS) });
    const published = await eventually(async () => lastSummary(productId), 20_000, 'summary after a crash');
    expect(published.payload).toMatchObject({ count: 1, average: 2, version: 1 });
    await eventually(async () => ((await mongo.db.collection('summary_outbox').countDocuments({ productId })) === 0 ? true : undefined), 10_000, 'outbox emptied');
  });

  it('keeps an intent whose write may still be landing until its grace is over, and a withdrawn one goes', async () => {
    const productId = `p-${randomUUID()}`;
    const now = new Date();
    await mongo.db.collection<SummaryOutboxEntry>('summary_outbox').insertOne({ _id: randomUUID(), productId, kind: 'intent', dueAt: new Date(now.getTime() + INTENT_GRACE_MS), createdAt: now });
    // A write that changed nothing (an edit of another's review) withdraws its intent.
    const userId = await buyer(productId);
    const review = await write(userId, productId, 4);
    expect(await grpcCode(api.call('updateReview', { userId: randomUUID(), reviewId: review.id, rating: 1 }))).toBe(status.NOT_FOUND);
    await eventually(async () => (lastSummary(productId)?.payload.count === 1 ? true : undefined), 20_000, 'summary of the review');
    await eventually(async () => ((await mongo.db.collection('summary_outbox').countDocuments({ productId })) === 1 ? true : undefined), 10_000, 'only the fresh intent left');
    expect(await mongo.db.collection('summary_outbox').findOne({ productId })).toMatchObject({ kind: 'intent' });
  });

  it('loses no shopper\'s edit nor moderation on one product while its summaries publish, and announces the final summary', async () => {
    const productId = `p-${randomUUID()}`;
    const rounds = 40;
    const authors = await Promise.all(Array.from({ length: 20 }, () => buyer(productId)));
    const held = await Promise.all(Array.from({ length: 10 }, () => buyer(productId)));
    const edited = await Promise.all(authors.map((userId, n) => write(userId, productId, 1 + (n % 5), `first words of ${n}`)));
    const moderated = await Promise.all(held.map((userId) => write(userId, productId, 2, 'see https://maker.example/mug')));
    expect(moderated.every((review) => review.status === 'pending')).toBe(true);
    const ratingAfter = (n: number, round: number) => 1 + ((n + round) % 5);

    // Every review has one writer (its author, or the moderator), each waiting for its last write:
    // writes meet only the summary publisher's rounds (every 200 ms and on every write), not each
    // other. The pauses leave some reviews unchanged through a publisher's round, as shoppers do:
    // a publisher that wrote to reviews would then write amid the next write (FerretDB: unlocked
    // read, change, write back) and put the review back without it.
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
    await Promise.all([
      ...edited.map(async (review, n) => {
        for (let round = 1; round <= rounds; round += 1) {
          await pause();
          await api.call('updateReview', { userId: review.userId, reviewId: review.id, rating: ratingAfter(n, round), title: `round ${round}`, body: `edit ${round} of ${n}` });
        }
      }),
      ...moderated.map(async (review) => {
        for (let round = 1; round <= rounds; round += 1) {
          await pause();
          await api.call('moderateReview', { reviewId: review.id, status: round % 2 === 0 ? 'published' : 'hidden', reason: `round ${round}`, moderatorId: 'admin' });
        }
      }),
    ]);

    const stored = new Map((await mongo.db.collection<ReviewDocument>('reviews').find({ productId }).toArray()).map((review) => [review._id, review]));
    edited.forEach((review, n) => {
      expect(stored.get(review.id)).toMatchObject({ rating: ratingAfter(n, rounds), title: `round ${rounds}`, body: `edit ${rounds} of ${n}`, status: 'published', rev: 1 + rounds });
    });
    for (const review of moderated) expect(stored.get(review.id)).toMatchObject({ status: 'published', moderationReason: `round ${rounds}`, rev: 1 + rounds });

    const histogram = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } as Record<'1' | '2' | '3' | '4' | '5', number>;
    for (const review of stored.values()) histogram[String(review.rating) as keyof typeof histogram] += 1;
    const finalVersion = (edited.length + moderated.length) * (1 + rounds);
    const final = await eventually(async () => summaries.find((event) => event.payload.productId === productId && event.payload.version === finalVersion), 30_000, 'the final summary');
    expect(final.payload).toMatchObject({ count: edited.length + moderated.length, histogram });
    // The publisher did run amid the writes (else this test would prove nothing): summaries of
    // versions past the reviews as first written (rev 1 each) and short of the final one went out.
    const firstVersion = edited.length + moderated.length;
    const versionsDuring = new Set(summaries.filter((event) => event.payload.productId === productId && event.payload.version > firstVersion && event.payload.version < finalVersion).map((event) => event.payload.version));
    expect(versionsDuring.size).toBeGreaterThan(1);
    await eventually(async () => ((await mongo.db.collection('summary_outbox').countDocuments({ productId })) === 0 ? true : undefined), 10_000, 'outbox emptied');

    // Nothing owed: the lists come from what the publisher kept ready (the first reviews in every
    // order, the totals from the summary), and agree with the reviews read as they stand.
    const ready = await mongo.db.collection<{ _id: string; version: number }>('review_first_pages').find({ productId }).toArray();
    expect(ready).toHaveLength(4 * 5);
    expect(new Set(ready.map((page) => page.version))).toEqual(new Set([finalVersion]));
    for (const sort of ['newest', 'helpful', 'rating_desc', 'rating_asc'] as const) {
      const keys = sortKeys(sort);
      const live = (await mongo.db.collection<ReviewDocument>('reviews').find({ productId, status: 'published' }).sort(keys).skip(7).limit(7).toArray()).map((review) => review._id);
      const listed = await api.call('listProductReviews', { productId, sort, rating: 0, page: 2, limit: 7 });
      expect(listed).toMatchObject({ total: edited.length + moderated.length, page: 2, limit: 7, summary: { count: edited.length + moderated.length } });
      expect(listed.items.map((item) => item.id)).toEqual(live);
    }
    const twos = await api.call('listProductReviews', { productId, sort: 'newest', rating: 2, page: 1, limit: 100 });
    expect(twos.total).toBe(histogram['2']);
    expect(twos.items).toHaveLength(histogram['2']);
  });

  it('copies the helpful votes older builds kept in the reviews into review_votes, once, however often it runs', async () => {
    await withOlderDatabase('review_votes_upgrade', '0004', async (db) => {
      const now = new Date();
      const productId = `p-${randomUUID()}`;
      const reviews = [['a', 'b'], [], ['c']].map((voters) => ({ _id: randomUUID(), productId, userId: randomUUID(), rating: 4, status: 'published', helpfulCount: voters.length, voters, rev: 1 + voters.length, createdAt: now, updatedAt: now }));
      await db.collection<{ _id: string }>('reviews').insertMany(reviews);
      expect((await migrateMongo(db, REVIEW_MIGRATIONS)).applied).toEqual(['0004-helpful-votes']);
      // As after dying half way: run again, nothing twice.
      await REVIEW_MIGRATIONS.find((migration) => migration.id === '0004-helpful-votes')!.up(db);
      const votes = await db.collection('review_votes').find({ productId }).toArray();
      expect(votes.map((vote) => vote.voterId).sort()).toEqual(['a', 'b', 'c']);
      expect(votes.filter((vote) => vote.reviewKey === reviewKey(reviews[0]!._id, now))).toHaveLength(2);
    });
  });

  it('loses no helpful vote of shoppers voting on one review at once, counts a shopper once, and moves the summary version by each vote', async () => {
    const productId = `p-${randomUUID()}`;
    const author = await buyer(productId);
    const review = await write(author, productId, 4);
    const before = await eventually(async () => lastSummary(productId), 20_000, 'summary of the review');
    const voters = Array.from({ length: 20 }, () => randomUUID());
    // Each shopper votes twice at once: 40 requests meet on one review.
    await Promise.all([...voters, ...voters].map((userId) => api.call('markHelpful', { userId, reviewId: review.id })));
    const stored = await mongo.db.collection<ReviewDocument>('reviews').findOne({ _id: review.id });
    expect(stored!.helpfulCount).toBe(20);
    expect(await mongo.db.collection('review_votes').countDocuments({ reviewId: review.id })).toBe(20);
    expect((await api.call('markHelpful', { userId: voters[0]!, reviewId: review.id })).helpfulCount).toBe(20);
    const after = await eventually(async () => (lastSummary(productId)!.payload.version === before.payload.version + 20 ? lastSummary(productId) : undefined), 20_000, 'summary of 20 votes');
    expect(after!.payload.count).toBe(1);
    const listed = await api.call('listProductReviews', { productId, sort: 'helpful', rating: 0, page: 1, limit: 10 });
    expect(listed.items[0]).toMatchObject({ id: review.id, helpfulCount: 20 });
    expect(await grpcCode(api.call('markHelpful', { userId: randomUUID(), reviewId: randomUUID() }))).toBe(status.NOT_FOUND);
  });

  it('answers deep pages and rating filters as the database sorts them, from the reviews held in memory, and shows a change once it landed', async () => {
    const productId = `p-${randomUUID()}`;
    const total = 260;
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + (n % 40)));
    // Ties in every sort key but _id (helpful counts and days repeat), and reviews no list shows.
    const reviews: ReviewDocument[] = Array.from({ length: total }, (_, n) => ({
      _id: `r-${randomUUID()}`, productId, userId: randomUUID(), authorName: `Shopper ${n}`, rating: 1 + ((n * 7) % 5), title: '', body: `review ${n}`, verifiedPurchase: true,
      status: n % 13 === 0 ? 'hidden' : n % 17 === 0 ? 'pending' : 'published', moderationReason: '', helpfulCount: (n * 31) % 9, rev: 1, createdAt: day(n), updatedAt: day(n),
    }));
    await mongo.db.collection<ReviewDocument>('reviews').insertMany(reviews);
    await mongo.db.collection<SummaryOutboxEntry>('summary_outbox').insertOne({ _id: randomUUID(), productId, kind: 'change', createdAt: new Date() });
    const published = reviews.filter((review) => review.status === 'published');
    await eventually(async () => (lastSummary(productId)?.payload.count === published.length ? true : undefined), 20_000, 'summary of the reviews');
    await eventually(async () => ((await mongo.db.collection('summary_outbox').countDocuments({ productId })) === 0 ? true : undefined), 10_000, 'outbox emptied');

    const heldBefore = await listsFrom('held');
    const expectSameAsDatabase = async (sort: 'newest' | 'helpful' | 'rating_desc' | 'rating_asc', rating: number, page: number, limit: number) => {
      const filter: Record<string, unknown> = { productId, status: 'published', ...(rating ? { rating } : {}) };
      const live = (await mongo.db.collection<ReviewDocument>('reviews').find(filter).sort(sortKeys(sort)).skip((page - 1) * limit).limit(limit).toArray()).map((review) => [review._id, review.helpfulCount]);
      const listed = await api.call('listProductReviews', { productId, sort, rating, page, limit });
      expect({ sort, rating, page, limit, items: listed.items.map((item) => [item.id, item.helpfulCount]) }).toEqual({ sort, rating, page, limit, items: live });
      expect(listed.total).toBe(await mongo.db.collection('reviews').countDocuments(filter));
      return listed;
    };
    for (const sort of ['newest', 'helpful', 'rating_desc', 'rating_asc'] as const) {
      for (const [page, limit] of [[6, 20], [3, 45], [2, 100], [12, 17], [30, 20]] as const) await expectSameAsDatabase(sort, 0, page, limit);
      for (const rating of [1, 2, 3, 4, 5]) for (const [page, limit] of [[1, 20], [2, 13], [1, 100]] as const) await expectSameAsDatabase(sort, rating, page, limit);
    }
    expect(await listsFrom('held')).toBeGreaterThan(heldBefore);

    // A vote on a review deep in the helpful list, then an edit moving another to another rating:
    // each shopper's next list shows it (read-your-writes), and so does the list once announced.
    const deep = (await api.call('listProductReviews', { productId, sort: 'helpful', rating: 0, page: 11, limit: 20 })).items[5]!;
    for (let n = 0; n < 9; n += 1) await api.call('markHelpful', { userId: randomUUID(), reviewId: deep.id });
    const top = await api.call('listProductReviews', { productId, sort: 'helpful', rating: 0, page: 1, limit: 3 });
    // Its count becomes that of its votes (the counts written above have none behind them): 9, above all others.
    expect(top.items[0]).toMatchObject({ id: deep.id, helpfulCount: 9 });
    const moved = published.find((review) => review.rating === 2)!;
    await api.call('updateReview', { userId: moved.userId, reviewId: moved._id, rating: 5 });
    const twos = async () => (await api.call('listProductReviews', { productId, sort: 'newest', rating: 2, page: 2, limit: 10 })).total;
    expect(await twos()).toBe(published.filter((review) => review.rating === 2).length - 1);
    await eventually(async () => ((await mongo.db.collection('summary_outbox').countDocuments({ productId })) === 0 ? true : undefined), 10_000, 'outbox emptied');
    for (const sort of ['newest', 'helpful'] as const) {
      await expectSameAsDatabase(sort, 0, 7, 20);
      await expectSameAsDatabase(sort, 5, 2, 20);
      await expectSameAsDatabase(sort, 2, 1, 100);
    }
    expect((await expectSameAsDatabase('helpful', 0, 1, 1)).items[0]!.id).toBe(deep.id);
  });

  /** Lists the service answered from `source`, from its /metrics. */
  async function listsFrom(source: string): Promise<number> {
    const metrics = await (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();
    const line = metrics.split('\n').find((text) => text.startsWith('shop_review_list_seconds_count') && text.includes(`source="${source}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  }
});
