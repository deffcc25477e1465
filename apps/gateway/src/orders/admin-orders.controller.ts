import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import { OrderListView, OrderView, PaymentView, TransactionListView } from '../docs/views';
import { RequirePermissions } from '@shop/security';
import { ORDER_CLIENT, type OrderClient, PAYMENT_CLIENT, type PaymentClient } from '../downstream/downstreams';
import { toOrderView, toPaymentView } from './order-views';
import { AdvanceOrderDto, CancelOrderDto, IDEMPOTENCY_KEY, OrderListQueryDto, RefundDto } from './orders.dto';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class AdminOrdersController {
  constructor(
    @Inject(ORDER_CLIENT) private readonly orders: OrderClient,
    @Inject(PAYMENT_CLIENT) private readonly payments: PaymentClient,
  ) {}

  @Get('orders')
  @RequirePermissions('orders:read')
  @ApiOkResponse({ type: OrderListView })
  async list(@Query() query: OrderListQueryDto) {
    const result = await this.orders.call('listOrders', { userId: '', status: query.status ?? '', page: query.page ?? 1, limit: query.limit ?? 20 });
    return { ...result, items: result.items.map((order) => toOrderView(order, { withClientSecret: false })) };
  }

  @Get('orders/:id')
  @RequirePermissions('orders:read')
  @ApiOkResponse({ type: OrderView })
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    return toOrderView(await this.orders.call('getOrder', { orderId: id, userId: '' }), { withClientSecret: false });
  }

  /** Moves a paid order through fulfilment: FULFILLING, SHIPPED, DELIVERED, in that order only. */
  @Post('orders/:id/status')
  @HttpCode(200)
  @RequirePermissions('orders:manage')
  @ApiOkResponse({ type: OrderView })
  @ApiErrors([422, 'Not the next step of this order (FULFILLING, SHIPPED, DELIVERED in that order, once paid)'])
  async advance(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: AdvanceOrderDto) {
    return toOrderView(await this.orders.call('advanceOrder', { orderId: id, status: body.status }), { withClientSecret: false });
  }

  @Post('orders/:id/cancel')
  @HttpCode(200)
  @RequirePermissions('orders:manage')
  @ApiOkResponse({ type: OrderView })
  @ApiErrors([422, 'The order is past cancelling (shipped or later)'])
  async cancel(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: CancelOrderDto) {
    return toOrderView(await this.orders.call('cancelOrder', { orderId: id, userId: '', reason: body.reason ?? 'cancelled by the shop' }), { withClientSecret: false });
  }

  /** Full or partial refund; the Idempotency-Key header makes a retried request refund once. */
  @Post('payments/:id/refund')
  @HttpCode(200)
  @RequirePermissions('payments:refund')
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Makes a retried refund refund once', schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source } })
  @ApiOkResponse({ type: PaymentView })
  @ApiErrors([422, 'Nothing left to refund, more than is left, or the payment was never paid'])
  async refund(@Param('id', new ParseUUIDPipe()) id: string, @Headers('idempotency-key') key: string | undefined, @Body() body: RefundDto) {
    if (!key) throw new BadRequestException('the Idempotency-Key header is required, so a retried refund refunds once');
    if (!IDEMPOTENCY_KEY.test(key)) throw new BadRequestException('Idempotency-Key must be 8 to 128 letters, digits, ".", "_", ":" or "-"');
    return toPaymentView(await this.payments.call('refundPayment', { paymentId: id, amount: body.amount ?? 0, reason: body.reason ?? '', idempotencyKey: key }));
  }

  @Get('payments/:id/transactions')
  @RequirePermissions('orders:read')
  @ApiOkResponse({ type: TransactionListView })
  transactions(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.payments.call('listTransactions', { paymentId: id });
  }
}
