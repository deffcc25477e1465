import { BadRequestException, Body, Controller, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@shop/security';
import { INVENTORY_CLIENT, type InventoryClient } from '../downstream/downstreams';
import { AdjustStockDto, MovementsQueryDto, SetStockDto } from './admin-inventory.dto';

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function sku(value: string): string {
  if (!SKU.test(value)) throw new BadRequestException('sku must be 1 to 64 letters, digits, ".", "_" or "-"');
  return value;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/inventory')
export class AdminInventoryController {
  constructor(@Inject(INVENTORY_CLIENT) private readonly inventory: InventoryClient) {}

  @Get(':sku')
  @RequirePermissions('inventory:read')
  async stock(@Param('sku') value: string) {
    const { levels } = await this.inventory.call('getStock', { skus: [sku(value)] });
    return levels[0];
  }

  /** Sets on hand to a counted number; answers { sku, onHand, reserved, available }. */
  @Put(':sku')
  @RequirePermissions('inventory:write')
  setStock(@Param('sku') value: string, @Body() body: SetStockDto) {
    return this.inventory.call('setStock', { sku: sku(value), onHand: body.onHand, reason: body.reason ?? 'set by admin' });
  }

  @Post(':sku/adjustments')
  @RequirePermissions('inventory:write')
  adjustStock(@Param('sku') value: string, @Body() body: AdjustStockDto) {
    return this.inventory.call('adjustStock', { sku: sku(value), delta: body.delta, reason: body.reason });
  }

  @Get(':sku/movements')
  @RequirePermissions('inventory:read')
  movements(@Param('sku') value: string, @Query() query: MovementsQueryDto) {
    return this.inventory.call('listMovements', { sku: sku(value), page: query.page ?? 1, limit: query.limit ?? 50 });
  }
}
