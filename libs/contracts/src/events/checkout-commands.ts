import { z } from 'zod';
import { MoneyV1, uuid } from './money';
import { ReservationLineV1 } from './inventory-events';

/*
 * Commands of the checkout saga: the order service (the orchestrator) tells inventory and payment
 * what to do, through its outbox. Each participant has one command topic, keyed by order id, so
 * the commands for one order arrive in the order they were given (reserve before release, create
 * before cancel). Participants answer with events (inventory.*, payment.*).
 */

/** inventory.reserve v1: hold every line for the order, or none (answered by inventory.reserved or inventory.rejected). */
export const ReserveStockV1 = z.object({ orderId: uuid, lines: z.array(ReservationLineV1).min(1) });
export type ReserveStockV1 = z.infer<typeof ReserveStockV1>;

/** inventory.commit v1: the order was paid; the held units are sold. */
export const CommitStockV1 = z.object({ orderId: uuid });
export type CommitStockV1 = z.infer<typeof CommitStockV1>;

/** inventory.release v1: the order is over; whatever it holds goes back (held units, or sold ones not yet shipped). */
export const ReleaseStockV1 = z.object({ orderId: uuid, reason: z.string() });
export type ReleaseStockV1 = z.infer<typeof ReleaseStockV1>;

/** payment.create v1: take payment for the order (answered by payment.created, then payment.succeeded or payment.failed). */
export const CreatePaymentV1 = z.object({ orderId: uuid, amount: MoneyV1, customerEmail: z.string() });
export type CreatePaymentV1 = z.infer<typeof CreatePaymentV1>;

/** payment.cancel v1: the order is over; an unpaid payment is cancelled, a paid one refunded in full. */
export const CancelPaymentV1 = z.object({ orderId: uuid, reason: z.string() });
export type CancelPaymentV1 = z.infer<typeof CancelPaymentV1>;
