import { Injectable } from '@nestjs/common';
import { inventoryV1 } from '@shop/contracts';
import type { ServiceHandlers } from '@shop/grpc';
import type { StockMovement } from './prisma';
import { ReservationsService, type ReservationWithLines } from './reservations/reservations.service';
import { StockService } from './stock/stock.service';

function toReservation(reservation: ReservationWithLines): inventoryV1.Reservation {
  return {
    id: reservation.id,
    orderId: reservation.orderId,
    status: reservation.status,
    lines: reservation.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    expiresAt: reservation.expiresAt.toISOString(),
    createdAt: reservation.createdAt.toISOString(),
  };
}

function toMovement(movement: StockMovement): inventoryV1.Movement {
  return {
    id: movement.id.toString(),
    sku: movement.sku,
    kind: movement.kind,
    onHandDelta: movement.onHandDelta,
    reservedDelta: movement.reservedDelta,
    reason: movement.reason,
    reference: movement.reference,
    createdAt: movement.createdAt.toISOString(),
  };
}

/** The InventoryService contract, mapped onto stock and reservations. */
@Injectable()
export class InventoryGrpcHandlers implements ServiceHandlers<typeof inventoryV1.InventoryServiceService> {
  constructor(
    private readonly stock: StockService,
    private readonly reservations: ReservationsService,
  ) {}

  async getStock(request: inventoryV1.GetStockRequest): Promise<inventoryV1.GetStockResponse> {
    return { levels: await this.stock.get(request.skus) };
  }

  async setStockBatch(request: inventoryV1.SetStockBatchRequest): Promise<inventoryV1.GetStockResponse> {
    return { levels: await this.stock.setMany(request.items) };
  }

  setStock(request: inventoryV1.SetStockRequest): Promise<inventoryV1.StockLevel> {
    return this.stock.set(request.sku, request.onHand, request.reason);
  }

  adjustStock(request: inventoryV1.AdjustStockRequest): Promise<inventoryV1.StockLevel> {
    return this.stock.adjust(request.sku, request.delta, request.reason);
  }

  async listMovements(request: inventoryV1.ListMovementsRequest): Promise<inventoryV1.ListMovementsResponse> {
    const page = await this.stock.movements(request.sku, request.page, request.limit);
    return { ...page, items: page.items.map(toMovement) };
  }

  async getReservation(request: inventoryV1.GetReservationRequest): Promise<inventoryV1.Reservation> {
    return toReservation(await this.reservations.get(request.orderId));
  }
}
