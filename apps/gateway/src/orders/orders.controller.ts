import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { orderV1 } from '@shop/contracts';
import { CurrentPrincipal, type Principal, RequirePermissions } from '@shop/security';
import { ORDER_CLIENT, type OrderClient, PAYMENT_CLIENT, type PaymentClient, USER_CLIENT, type UserClient } from '../downstream/downstreams';
import { toOrderView } from './order-views';
import { CancelOrderDto, OrderListQueryDto, PlaceOrderDto, TestPaymentDto } from './orders.dto';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

@ApiTags('orders')
@ApiBearerAuth()
@RequirePermissions('orders:place')
@Controller('orders')
export class OrdersController {
  constructor(
    @Inject(ORDER_CLIENT) private readonly orders: OrderClient,
    @Inject(USER_CLIENT) private readonly users: UserClient,
    @Inject(PAYMENT_CLIENT) private readonly payments: PaymentClient,
  ) {}

  /**
   * Accepts the cart as an order at once (202, PENDING); the checkout then runs asynchronously.
   * The same Idempotency-Key with the same body answers the same order; with another body, 422.
   */
  @Post()
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '8 to 128 characters, unique per checkout attempt' })
  @ApiAcceptedResponse({ description: '{ id, status }' })
  async place(@CurrentPrincipal() principal: Principal, @Headers('idempotency-key') key: string | undefined, @Body() body: PlaceOrderDto) {
    if (!key) throw new BadRequestException('the Idempotency-Key header is required');
    if (!IDEMPOTENCY_KEY.test(key)) throw new BadRequestException('Idempotency-Key must be 8 to 128 letters, digits, ".", "_", ":" or "-"');
    if (Boolean(body.shippingAddressId) === Boolean(body.shippingAddress)) {
      throw new BadRequestException('give either shippingAddressId or shippingAddress');
    }
    const shippingAddress = body.shippingAddress ?? (await this.savedAddress(principal.id, body.shippingAddressId!));
    const order = await this.orders.call('placeOrder', { userId: principal.id, idempotencyKey: key, shippingAddress, email: principal.email, offerCode: body.offerCode });
    return { id: order.id, status: order.status };
  }

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: OrderListQueryDto) {
    const result = await this.orders.call('listOrders', { userId: principal.id, status: query.status ?? '', page: query.page ?? 1, limit: query.limit ?? 20 });
    return { ...result, items: result.items.map((order) => toOrderView(order, { withClientSecret: true })) };
  }

  /** Status with its history: { id, status, items, total, history: [{ status, at, reason? }], payment }. */
  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return toOrderView(await this.orders.call('getOrder', { orderId: id, userId: principal.id }), { withClientSecret: true });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: CancelOrderDto) {
    const order = await this.orders.call('cancelOrder', { orderId: id, userId: principal.id, reason: body.reason ?? 'cancelled by the shopper' });
    return toOrderView(order, { withClientSecret: false });
  }

  /** TEST payment provider only: plays the shopper paying (or failing to). Refused when Stripe is configured. */
  @Post(':id/test-payment')
  @HttpCode(200)
  async testPayment(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: TestPaymentDto) {
    const order = await this.orders.call('getOrder', { orderId: id, userId: principal.id });
    if (!order.payment?.paymentId) throw new BadRequestException('the order has no payment yet; try again in a moment');
    const payment = await this.payments.call('completeTestPayment', { paymentId: order.payment.paymentId, outcome: body.outcome });
    return { paymentId: payment.id, status: payment.status, provider: payment.provider };
  }

  private async savedAddress(userId: string, addressId: string): Promise<orderV1.ShippingAddress> {
    const { items } = await this.users.call('listAddresses', { userId });
    const address = items.find((item) => item.id === addressId);
    if (!address) throw new BadRequestException('shippingAddressId is not one of your addresses');
    return { line1: address.line1, line2: address.line2, city: address.city, region: address.region, postalCode: address.postalCode, country: address.country };
  }
}
