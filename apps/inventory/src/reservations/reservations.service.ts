import { Inject, Injectable } from '@nestjs/common';
import { createEvent } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { toOutboxRow } from '@shop/messaging';
import type { ServiceMetrics } from '@shop/observability';
import { APP_CONFIG, METRICS } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { type InventoryConfig, MAX_RESERVATION_TTL_SECONDS } from '../config';
import { isUniqueViolation, PRISMA, type PrismaClient, type Reservation, type ReservationLine, type Tx } from '../prisma';
import { lockStock, recordMovements } from '../stock/ledger';
import { cleanReason } from '../stock/stock-rules';
import {
  assertOrderId,
  commitAction,
  type Line,
  mergeLines,
  releaseAction,
  type ReservationStatus,
  resolveTtlSeconds,
  shortSkus,
} from './reservation-rules';

export type ReservationWithLines = Reservation & { lines: ReservationLine[] };

type ReserveOutcome = { kind: 'reserved' | 'existing'; reservation: ReservationWithLines } | { kind: 'rejected'; shortSkus: string[] };

const WITH_LINES = { lines: { orderBy: { sku: 'asc' } } } as const;

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
   * Reserves every line or nothing. Asking again for an order that has a reservation returns that
   * reservation, whatever its lines or status: the first answer for an order is the answer.
   */
  async reserve(orderId: string, lines: Line[], ttlSeconds: number): Promise<ReservationWithLines> {
    assertOrderId(orderId);
    const wanted = mergeLines(lines);
    const ttl = resolveTtlSeconds(ttlSeconds, this.config.RESERVATION_TTL_SECONDS, MAX_RESERVATION_TTL_SECONDS);
    const existing = await this.find(orderId);
    if (existing) return existing;

    let outcome: ReserveOutcome;
    try {
      outcome = await this.prisma.$transaction(async (tx): Promise<ReserveOutcome> => {
        const stock = await lockStock(tx, wanted.map((line) => line.sku));
        // A call for the same order that held these locks before us has committed by now: answer with its reservation.
        const raced = await tx.reservation.findUnique({ where: { orderId }, include: WITH_LINES });
        if (raced) return { kind: 'existing', reservation: raced };
        const short = shortSkus(wanted, stock);
        // Nothing written yet, so returning commits an empty transaction and releases the locks at once.
        if (short.length > 0) return { kind: 'rejected', shortSkus: short };
        const reservation = await tx.reservation.create({
          data: { id: randomUUID(), orderId, status: 'active', expiresAt: new Date(Date.now() + ttl * 1000), lines: { createMany: { data: wanted } } },
          include: WITH_LINES,
        });
        await recordMovements(
          tx,
          wanted.map((line) => ({ sku: line.sku, kind: 'reserve', onHandDelta: 0, reservedDelta: line.quantity, reason: '', reference: orderId })),
        );
        const event = createEvent('inventory.reserved', orderId, {
          orderId,
          reservationId: reservation.id,
          lines: wanted,
          expiresAt: reservation.expiresAt.toISOString(),
        });
        await tx.outboxEvent.create({ data: toOutboxRow(event) });
        return { kind: 'reserved', reservation };
      });
    } catch (error) {
      // The same order reserved concurrently on other SKUs: the locks did not order the two calls,
      // the unique order id did. The winner's reservation is the answer.
      if (isUniqueViolation(error)) {
        const winner = await this.find(orderId);
        if (winner) return winner;
      }
      throw error;
    }

    if (outcome.kind === 'rejected') {
      // Written on its own, after the reservation transaction: an event written in a transaction
      // that is then rolled back would be lost with it.
      const event = createEvent('inventory.rejected', orderId, { orderId, shortSkus: outcome.shortSkus, reason: 'insufficient stock' });
      await this.prisma.outboxEvent.create({ data: toOutboxRow(event) });
      this.outcomes.inc({ outcome: 'rejected' });
      throw new AppError('failed_precondition', `insufficient stock for: ${outcome.shortSkus.join(', ')}`);
    }
    if (outcome.kind === 'reserved') this.outcomes.inc({ outcome: 'reserved' });
    return outcome.reservation;
  }

  /**
   * The order was paid: its units leave on hand. A reservation past its expiry that the sweeper
   * has not reached yet can still be committed, as its units were never given back.
   */
  async commit(orderId: string): Promise<ReservationWithLines> {
    assertOrderId(orderId);
    let changed = false;
    const result = await this.prisma.$transaction(async (tx) => {
      const reservation = await this.lockReservation(tx, orderId);
      if (commitAction(reservation.status as ReservationStatus) === 'unchanged') return reservation;
      changed = true;
      await lockStock(tx, reservation.lines.map((line) => line.sku));
      await recordMovements(
        tx,
        reservation.lines.map((line) => ({
          sku: line.sku,
          kind: 'commit',
          onHandDelta: -line.quantity,
          reservedDelta: -line.quantity,
          reason: '',
          reference: orderId,
        })),
      );
      const committed = await tx.reservation.update({ where: { id: reservation.id }, data: { status: 'committed' }, include: WITH_LINES });
      await tx.outboxEvent.create({
        data: toOutboxRow(createEvent('inventory.committed', orderId, { orderId, reservationId: reservation.id })),
      });
      return committed;
    });
    if (changed) this.outcomes.inc({ outcome: 'committed' });
    return result;
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
      await recordMovements(
        tx,
        reservation.lines.map((line) => ({ sku: line.sku, kind: 'release', onHandDelta: 0, reservedDelta: -line.quantity, reason: why, reference: orderId })),
      );
      const released = await tx.reservation.update({ where: { id: reservation.id }, data: { status: 'released' }, include: WITH_LINES });
      await tx.outboxEvent.create({
        data: toOutboxRow(createEvent('inventory.released', orderId, { orderId, reservationId: reservation.id, reason: why })),
      });
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
      await recordMovements(
        tx,
        reservation.lines.map((line) => ({ sku: line.sku, kind: 'return', onHandDelta: line.quantity, reservedDelta: 0, reason: why, reference: orderId })),
      );
      const returned = await tx.reservation.update({ where: { id: reservation.id }, data: { status: 'returned' }, include: WITH_LINES });
      await tx.outboxEvent.create({
        data: toOutboxRow(createEvent('inventory.released', orderId, { orderId, reservationId: reservation.id, reason: why })),
      });
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
      await recordMovements(
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
      await tx.outboxEvent.createMany({
        data: due.map((row) =>
          toOutboxRow(createEvent('inventory.released', row.order_id, { orderId: row.order_id, reservationId: row.id, reason: 'expired' })),
        ),
      });
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
