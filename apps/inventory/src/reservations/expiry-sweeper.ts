import { BatchSweeper } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { ReservationsService } from './reservations.service';

/** Gives back the stock of reservations nobody committed or released in time. */
export class ExpirySweeper extends BatchSweeper {
  constructor(reservations: ReservationsService, options: { intervalMs: number; logger: Logger; batchSize?: number }) {
    super({ ...options, what: 'expired reservations', processBatch: (limit) => reservations.expireDue(limit) });
  }
}
