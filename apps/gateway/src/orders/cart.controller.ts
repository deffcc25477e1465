import { Body, Controller, Delete, Get, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  async cart(@CurrentPrincipal() principal: Principal) {
    return toCartView(await this.orders.call('getCart', { userId: principal.id }));
  }

  @Post('items')
  async add(@CurrentPrincipal() principal: Principal, @Body() body: AddCartItemDto) {
    return toCartView(await this.orders.call('addCartItem', { userId: principal.id, sku: body.sku, quantity: body.quantity }));
  }

  @Patch('items/:id')
  async update(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateCartItemDto) {
    return toCartView(await this.orders.call('updateCartItem', { userId: principal.id, itemId: id, quantity: body.quantity }));
  }

  @Delete('items/:id')
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return toCartView(await this.orders.call('removeCartItem', { userId: principal.id, itemId: id }));
  }
}
