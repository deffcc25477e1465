import { Inject, Injectable } from '@nestjs/common';
import { createEvent, type IntegrationEvent } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { writeOutbox } from '@shop/messaging';
import type { ServiceMetrics } from '@shop/observability';
import type { SqlDatabase } from '@shop/persistence';
import { APP_CONFIG, METRICS, SQL_DATABASE } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import type { InventoryConfig } from '../config';
import { PRISMA, type PrismaClient, type Reservation, type ReservationLine, type Tx } from '../prisma';
import { levelsAfter, lockStock, type Movement, type MovedStockRow, recordMovements } from '../stock/ledger';
import { cleanReason } from '../stock/stock-rules';
import {
  allocate,
  assertOrderId,
  commitAction,
  type Line,
  mergeLines,
  releaseAction,
  type ReservationStatus,
} from './reservation-rules';

export type ReservationWithLines = Reservation & { lines: ReservationLine[] };

/** Reserve an order's lines (all of them or none). */
export interface ReserveRequest {
  orderId: string;
  lines: Line[];
}

/** What asking to reserve came to, per order; rejection (not enough stock, lines that make no sense) is an answer like any other. */
export type ReserveOutcome = { orderId: string; kind: 'reserved' | 'existing' } | { orderId: string; kind: 'rejected'; reason: string; shortSkus: string[] };

/** A commit that could not be made, and why: retrying cannot change it, a person must look. */
export interface CommitProblem {
  orderId: string;
  problem: string;
}

const WITH_LINES = { lines: { orderBy: { sku: 'asc' } } } as const;

/** The SKUs of one reservation among the lines of several. */
function skusOf(lines: ReservationLine[], reservationId: string): string[] {
  return lines.filter((line) => line.reservationId === reservationId).map((line) => line.sku);
}

/** inventory.released for a reservation whose units came back, with its SKUs' levels after. */
function releasedEvent(orderId: string, reservation: ReservationWithLines, reason: string, after: Map<string, MovedStockRow>) {
  return createEvent('inventory.released', orderId, {
    orderId,
    reservationId: reservation.id,
    reason,
    lines: reservation.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    levels: levelsAfter(after, reservation.lines.map((line) => line.sku)),
  });
}

/**
 * Reservations hold stock for an order: every line or none, until the order is paid (commit),
 * cancelled (release) or the reservation expires (the sweeper). One reservation per order id,
 * so every call here can be retried safely.
 */
@Injectable()
export class ReservationsService {
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(APP_CONFIG) private readonly config: InventoryConfig,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter('shop_inventory_reservations_total', 'Reservation state changes, by outcome', ['outcome']);
  }

  async get(orderId: string): Promise<ReservationWithLines> {
    const reservation = await this.find(assertOrderId(orderId));
    if (!reservation) throw AppError.notFound('no reservation for this order');
    return reservation;
  }

  /**
   * Reserves each order's lines, every line or none, many orders in one transaction: the stock rows
   * are locked once, in SKU order, and the orders are served in the order given. Each order's answer
   * (inventory.reserved or inventory.rejected) is written in the same transaction. An order that has
   * a reservation keeps it, whatever it asks now: the first answer for an order is the answer.
   */
  async reserveMany(requests: ReserveRequest[]): Promise<ReserveOutcome[]> {
    const outcomes: ReserveOutcome[] = [];
    const wanted: Array<{ orderId: string; lines: Line[] }> = [];
    const invalid: Array<{ orderId: string; reason: string }> = [];
    const seen = new Set<string>();
    for (const request of requests) {
      // The first request for an order is its request.
      if (seen.has(request.orderId)) continue;
      seen.add(request.orderId);
      try {
        wanted.push({ orderId: assertOrderId(request.orderId), lines: mergeLines(request.lines) });
      } catch (error) {
        if (!(error instanceof AppError && error.kind === 'invalid_argument')) throw error;
        invalid.push({ orderId: request.orderId, reason: error.message });
      }
    }
    const expiresAt = new Date(Date.now() + this.config.RESERVATION_TTL_SECONDS * 1000);
    await this.db.$transaction(async (tx) => {
      const stock = await lockStock(tx, [...new Set(wanted.flatMap((order) => order.lines.map((line) => line.sku)))]);
      // Checked under the stock locks: a reservation for the same order made before them has committed by now.
      const asked = [...wanted, ...invalid].map((order) => order.orderId);
      const existing = new Set(
        (await tx.$queryRaw<Array<{ order_id: string }>>`SELECT order_id FROM reservations WHERE order_id = ANY(${asked}::text[])`).map((row) => row.order_id),
      );
      for (const { orderId, reason } of invalid) {
        // Lines no reservation can ever be made for: the order hears why instead of waiting for its timeout.
        outcomes.push(existing.has(orderId) ? { orderId, kind: 'existing' } : { orderId, kind: 'rejected', reason, shortSkus: [] });
      }
      const reservations: Array<{ id: string; orderId: string; lines: Line[] }> = [];
      const lines: Array<{ reservationId: string; sku: string; quantity: number }> = [];
      const movements: Movement[] = [];
      for (const order of wanted) if (existing.has(order.orderId)) outcomes.push({ orderId: order.orderId, kind: 'existing' });
      for (const allocation of allocate(wanted.filter((order) => !existing.has(order.orderId)), stock)) {
        const { orderId } = allocation;
        if (allocation.kind === 'rejected') {
          outcomes.push({ orderId, kind: 'rejected', reason: 'insufficient stock', shortSkus: allocation.shortSkus });
          continue;
        }
        const id = randomUUID();
        reservations.push({ id, orderId, lines: allocation.lines });
        for (const line of allocation.lines) {
          lines.push({ reservationId: id, ...line });
          movements.push({ sku: line.sku, kind: 'reserve', onHandDelta: 0, reservedDelta: line.quantity, reason: '', reference: orderId });
        }
        outcomes.push({ orderId, kind: 'reserved' });
      }
      let after = new Map<string, MovedStockRow>();
      if (reservations.length > 0) {
        await tx.$executeRaw`
          INSERT INTO reservations (id, order_id, status, expires_at)
          SELECT id, order_id, 'active', ${expiresAt} FROM unnest(${reservations.map((r) => r.id)}::uuid[], ${reservations.map((r) => r.orderId)}::text[]) AS r(id, order_id)`;
        await tx.$executeRaw`
          INSERT INTO reservation_lines (reservation_id, sku, quantity)
          SELECT * FROM unnest(${lines.map((l) => l.reservationId)}::uuid[], ${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.quantity)}::int[])`;
        after = await recordMovements(tx, movements);
      }
      // Each reservation's event carries its SKUs' levels after the whole batch (their latest version).
      const events: IntegrationEvent[] = reservations.map(({ id, orderId, lines: held }) =>
        createEvent('inventory.reserved', orderId, { orderId, reservationId: id, lines: held, expiresAt: expiresAt.toISOString(), levels: levelsAfter(after, held.map((line) => line.sku)) }),
      );
      for (const outcome of outcomes) {
        if (outcome.kind === 'rejected') {
          events.push(createEvent('inventory.rejected', outcome.orderId, { orderId: outcome.orderId, shortSkus: outcome.shortSkus, reason: cleanReason(outcome.reason) }));
        }
      }
      await writeOutbox(tx, events);
    });
    for (const outcome of outcomes) if (outcome.kind !== 'existing') this.outcomes.inc({ outcome: outcome.kind });
    return outcomes;
  }

  /**
   * The orders were paid: their units leave on hand, many orders in one transaction. A reservation
   * past its expiry that the sweeper has not reached yet can still be committed, as its units were
   * never given back. Returns the orders that could not be committed, and why.
   */
  async commitMany(orderIds: string[]): Promise<CommitProblem[]> {
    const problems: CommitProblem[] = [];
    let committed = 0;
    await this.db.$transaction(async (tx) => {
      // Reservation rows before stock rows, the order every writer follows.
      const rows = await tx.$queryRaw<Array<{ id: string; order_id: string; status: string }>>`
        SELECT id::text AS id, order_id, status FROM reservations WHERE order_id = ANY(${orderIds}::text[]) ORDER BY order_id FOR UPDATE`;
      const found = new Set(rows.map((row) => row.order_id));
      for (const orderId of orderIds) if (!found.has(orderId)) problems.push({ orderId, problem: 'no reservation for this order' });
      const toCommit = rows.filter((row) => {
        try {
          return commitAction(row.status as ReservationStatus) === 'apply';
        } catch (error) {
          problems.push({ orderId: row.order_id, problem: (error as Error).message });
          return false;
        }
      });
      if (toCommit.length === 0) return;
      const lines = (
        await tx.$queryRaw<Array<{ reservation_id: string; sku: string; quantity: number }>>`
          SELECT reservation_id::text AS reservation_id, sku, quantity FROM reservation_lines WHERE reservation_id = ANY(${toCommit.map((row) => row.id)}::uuid[])`
      ).map((line) => ({ reservationId: line.reservation_id, sku: line.sku, quantity: line.quantity }));
      const orderOf = new Map(toCommit.map((row) => [row.id, row.order_id]));
      await lockStock(tx, [...new Set(lines.map((line) => line.sku))]);
      const after = await recordMovements(
        tx,
        lines.map((line) => ({ sku: line.sku, kind: 'commit', onHandDelta: -line.quantity, reservedDelta: -line.quantity, reason: '', reference: orderOf.get(line.reservationId)! })),
      );
      await tx.$executeRaw`UPDATE reservations SET status = 'committed', updated_at = now() WHERE id = ANY(${toCommit.map((row) => row.id)}::uuid[])`;
      await writeOutbox(
        tx,
        toCommit.map((row) =>
          createEvent('inventory.committed', row.order_id, { orderId: row.order_id, reservationId: row.id, levels: levelsAfter(after, skusOf(lines, row.id)) }),
        ),
      );
      committed = toCommit.length;
    });
    if (committed > 0) this.outcomes.inc({ outcome: 'committed' }, committed);
    return problems;
  }

  /** The order was cancelled or failed: its units become available again. */
  async release(orderId: string, reason: string): Promise<ReservationWithLines> {
    assertOrderId(orderId);
    const why = cleanReason(reason) || 'released';
    let changed = false;
    const result = await this.prisma.$transaction(async (tx) => {
      const reservation = await this.lockReservation(tx, orderId);
      if (releaseAction(reservation.status as ReservationStatus) === 'unchanged') return reservation;
      changed = true;
      await lockStock(tx, reservation.lines.map((line) => line.sku));
      const after = await recordMovements(
        tx,
        reservation.lines.map((line) => ({ sku: line.sku, kind: 'release', onHandDelta: 0, reservedDelta: -line.quantity, reason: why, reference: orderId })),
      );
      const released = await tx.reservation.update({ where: { id: reservation.id }, data: { status: 'released' }, include: WITH_LINES });
      await writeOutbox(tx, [releasedEvent(orderId, reservation, why, after)]);
      return released;
    });
    if (changed) this.outcomes.inc({ outcome: 'released' });
    return result;
  }

  /**
   * A paid order was cancelled before it shipped: its committed units come back on hand.
   * Idempotent: a reservation already returned is answered as it is.
   */
  async returnCommitted(orderId: string, reason: string): Promise<ReservationWithLines> {
    assertOrderId(orderId);
    const why = cleanReason(reason) || 'returned';
    let changed = false;
    const result = await this.prisma.$transaction(async (tx) => {
      const reservation = await this.lockReservation(tx, orderId);
      if (reservation.status === 'returned') return reservation;
      if (reservation.status !== 'committed') throw new AppError('failed_precondition', `a ${reservation.status} reservation has nothing to return`);
      changed = true;
      await lockStock(tx, reservation.lines.map((line) => line.sku));
      const after = await recordMovements(
        tx,
        reservation.lines.map((line) => ({ sku: line.sku, kind: 'return', onHandDelta: line.quantity, reservedDelta: 0, reason: why, reference: orderId })),
      );
      const returned = await tx.reservation.update({ where: { id: reservation.id }, data: { status: 'returned' }, include: WITH_LINES });
      await writeOutbox(tx, [releasedEvent(orderId, reservation, why, after)]);
      return returned;
    });
    if (changed) this.outcomes.inc({ outcome: 'returned' });
    return result;
  }

  /**
   * Expires up to `limit` active reservations whose time is up, in one transaction; returns how many.
   * SKIP LOCKED lets several replicas sweep at once, each taking other reservations, and never
   * waits on a reservation that a commit or release is changing right now.
   */
  async expireDue(limit: number): Promise<number> {
    const expired = await this.prisma.$transaction(async (tx) => {
      const due = await tx.$queryRaw<Array<{ id: string; order_id: string }>>`
        SELECT id, order_id FROM reservations
         WHERE status = 'active' AND expires_at <= now()
         ORDER BY expires_at LIMIT ${limit}
           FOR UPDATE SKIP LOCKED`;
      if (due.length === 0) return 0;
      const orderOf = new Map(due.map((row) => [row.id, row.order_id]));
      const lines = await tx.reservationLine.findMany({ where: { reservationId: { in: [...orderOf.keys()] } } });
      // All SKUs of the batch in one locking statement, as everywhere else.
      await lockStock(tx, [...new Set(lines.map((line) => line.sku))]);
      const after = await recordMovements(
        tx,
        lines.map((line) => ({
          sku: line.sku,
          kind: 'expire',
          onHandDelta: 0,
          reservedDelta: -line.quantity,
          reason: 'expired',
          reference: orderOf.get(line.reservationId)!,
        })),
      );
      await tx.reservation.updateMany({ where: { id: { in: [...orderOf.keys()] } }, data: { status: 'expired' } });
      await writeOutbox(
        tx,
        due.map((row) =>
          createEvent('inventory.released', row.order_id, {
            orderId: row.order_id,
            reservationId: row.id,
            reason: 'expired',
            lines: lines.filter((line) => line.reservationId === row.id).map(({ sku, quantity }) => ({ sku, quantity })),
            levels: levelsAfter(after, skusOf(lines, row.id)),
          }),
        ),
      );
      return due.length;
    });
    if (expired > 0) this.outcomes.inc({ outcome: 'expired' }, expired);
    return expired;
  }

  private find(orderId: string): Promise<ReservationWithLines | null> {
    return this.prisma.reservation.findUnique({ where: { orderId }, include: WITH_LINES });
  }

  /** Locks the order's reservation row before any stock row, the order every writer follows. */
  private async lockReservation(tx: Tx, orderId: string): Promise<ReservationWithLines> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM reservations WHERE order_id = ${orderId} FOR UPDATE`;
    if (locked.length === 0) throw AppError.notFound('no reservation for this order');
    return tx.reservation.findUniqueOrThrow({ where: { id: locked[0]!.id }, include: WITH_LINES });
  }
}
