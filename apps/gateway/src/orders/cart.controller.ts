import { Body, Controller, Delete, Get, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import { CartView } from '../docs/views';
import { CurrentPrincipal, type Principal, RequirePermissions } from '@shop/security';
import { ORDER_CLIENT, type OrderClient } from '../downstream/downstreams';
import { toCartView } from './order-views';
import { AddCartItemDto, UpdateCartItemDto } from './orders.dto';

/** The shopper's cart; prices and availability are read fresh on every answer. */
@ApiTags('cart')
@ApiBearerAuth()
@RequirePermissions('orders:place')
@Controller('cart')
export class CartController {
  constructor(@Inject(ORDER_CLIENT) private readonly orders: OrderClient) {}

  @Get()
  @ApiOkResponse({ type: CartView })
  async cart(@CurrentPrincipal() principal: Principal) {
    return toCartView(await this.orders.call('getCart', { userId: principal.id }));
  }

  @Post('items')
  @ApiCreatedResponse({ type: CartView, description: 'The cart with the line (a SKU already there has its quantity raised)' })
  @ApiErrors([404, 'No product has the SKU'], [422, 'Not for sale, or more than the cart takes of it'])
  async add(@CurrentPrincipal() principal: Principal, @Body() body: AddCartItemDto) {
    return toCartView(await this.orders.call('addCartItem', { userId: principal.id, sku: body.sku, quantity: body.quantity }));
  }

  @Patch('items/:id')
  @ApiOkResponse({ type: CartView })
  @ApiErrors([422, 'More than the cart takes of it'])
  async update(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateCartItemDto) {
    return toCartView(await this.orders.call('updateCartItem', { userId: principal.id, itemId: id, quantity: body.quantity }));
  }

  @Delete('items/:id')
  @ApiOkResponse({ type: CartView })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return toCartView(await this.orders.call('removeCartItem', { userId: principal.id, itemId: id }));
  }
}
