import { BadRequestException, Body, ConflictException, UnprocessableEntityException, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import { OrderAcceptedView, OrderListView, OrderView, TestPaymentView } from '../docs/views';
import type { orderV1 } from '@shop/contracts';
import { CurrentPrincipal, type Principal, RequirePermissions } from '@shop/security';
import { ORDER_CLIENT, type OrderClient, PAYMENT_CLIENT, type PaymentClient, USER_CLIENT, type UserClient } from '../downstream/downstreams';
import { toOrderView } from './order-views';
import { CancelOrderDto, IDEMPOTENCY_KEY, OrderListQueryDto, PlaceOrderDto, TestPaymentDto } from './orders.dto';


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
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '8 to 128 characters, unique per checkout attempt', schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source, example: 'checkout-2026-11-26-001' } })
  @ApiAcceptedResponse({ type: OrderAcceptedView, description: 'Accepted: the checkout runs on (GET /orders/{id} follows it)' })
  @ApiErrors([
    422,
    'The cart is empty, shippingAddressId is not one of your addresses, the Idempotency-Key was used with another body, an offer code does not hold, or the order would take you past MAX_UNPAID_ORDERS or MAX_UNPAID_UNITS_PER_SKU',
  ])
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
  @ApiOkResponse({ type: OrderListView })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: OrderListQueryDto) {
    const result = await this.orders.call('listOrders', { userId: principal.id, status: query.status ?? '', page: query.page ?? 1, limit: query.limit ?? 20 });
    return { ...result, items: result.items.map((order) => toOrderView(order, { withClientSecret: true })) };
  }

  /** Status with its history: { id, status, items, total, history: [{ status, at, reason? }], payment }. */
  @Get(':id')
  @ApiOkResponse({ type: OrderView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return toOrderView(await this.orders.call('getOrder', { orderId: id, userId: principal.id }), { withClientSecret: true });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderView })
  @ApiErrors([422, 'The order is past cancelling (shipped or later)'])
  async cancel(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: CancelOrderDto) {
    const order = await this.orders.call('cancelOrder', { orderId: id, userId: principal.id, reason: body.reason ?? 'cancelled by the shopper' });
    return toOrderView(order, { withClientSecret: false });
  }

  /** TEST payment provider only: plays the shopper paying (or failing to). Refused when Stripe is configured. */
  @Post(':id/test-payment')
  @HttpCode(200)
  @ApiOkResponse({ type: TestPaymentView })
  @ApiErrors([409, 'The order has no payment yet (the checkout is still reserving stock): try again in a moment'], [422, 'Stripe is configured (no test payments), or the payment is past paying'])
  async testPayment(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: TestPaymentDto) {
    const order = await this.orders.call('getOrder', { orderId: id, userId: principal.id });
    // The checkout has not reached the payment yet: state, not a malformed request.
    if (!order.payment?.paymentId) throw new ConflictException('the order has no payment yet; try again in a moment');
    const payment = await this.payments.call('completeTestPayment', { paymentId: order.payment.paymentId, outcome: body.outcome });
    return { paymentId: payment.id, status: payment.status, provider: payment.provider };
  }

  private async savedAddress(userId: string, addressId: string): Promise<orderV1.ShippingAddress> {
    const { items } = await this.users.call('listAddresses', { userId });
    const address = items.find((item) => item.id === addressId);
    if (!address) throw new UnprocessableEntityException('shippingAddressId is not one of your addresses');
    return { line1: address.line1, line2: address.line2, city: address.city, region: address.region, postalCode: address.postalCode, country: address.country };
  }
}
