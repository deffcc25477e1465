import { Injectable } from '@nestjs/common';
import { orderV1 } from '@shop/contracts';
import type { ServiceHandlers } from '@shop/grpc';
import type { PricedCart } from './carts/carts.service';
import { CartsService } from './carts/carts.service';
import { OrdersService } from './orders/orders.service';

function toCart(cart: PricedCart): orderV1.Cart {
  return {
    items: cart.items.map((item) => ({
      id: item.id,
      sku: item.sku,
      productId: item.productId,
      name: item.name,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      lineTotal: item.lineTotal,
      available: item.available,
    })),
    total: cart.total,
  };
}

/** The OrderService contract, mapped onto carts and orders. */
@Injectable()
export class OrderGrpcHandlers implements ServiceHandlers<typeof orderV1.OrderServiceService> {
  constructor(
    private readonly carts: CartsService,
    private readonly orders: OrdersService,
  ) {}

  async getCart(request: orderV1.GetCartRequest): Promise<orderV1.Cart> {
    return toCart(await this.carts.get(request.userId));
  }

  async addCartItem(request: orderV1.AddCartItemRequest): Promise<orderV1.Cart> {
    return toCart(await this.carts.add(request.userId, request.sku, request.quantity));
  }

  async updateCartItem(request: orderV1.UpdateCartItemRequest): Promise<orderV1.Cart> {
    return toCart(await this.carts.update(request.userId, request.itemId, request.quantity));
  }

  async removeCartItem(request: orderV1.RemoveCartItemRequest): Promise<orderV1.Cart> {
    return toCart(await this.carts.remove(request.userId, request.itemId));
  }

  async listAbandonedCarts(request: orderV1.ListAbandonedCartsRequest): Promise<orderV1.ListAbandonedCartsResponse> {
    const carts = await this.carts.abandoned(request.idleSeconds, request.afterUserId, request.limit);
    return {
      items: carts.map((cart) => ({
        userId: cart.userId,
        startedAt: cart.startedAt.toISOString(),
        lastChangedAt: cart.lastChangedAt.toISOString(),
        lines: cart.lines,
      })),
    };
  }

  placeOrder(request: orderV1.PlaceOrderRequest): Promise<orderV1.Order> {
    return this.orders.place(request);
  }

  getOrder(request: orderV1.GetOrderRequest): Promise<orderV1.Order> {
    return this.orders.get(request.orderId, request.userId);
  }

  listOrders(request: orderV1.ListOrdersRequest): Promise<orderV1.ListOrdersResponse> {
    return this.orders.list(request);
  }

  cancelOrder(request: orderV1.CancelOrderRequest): Promise<orderV1.Order> {
    return this.orders.cancel(request);
  }

  advanceOrder(request: orderV1.AdvanceOrderRequest): Promise<orderV1.Order> {
    return this.orders.advance(request);
  }
}
