import { BadRequestException, Body, Controller, Get, Inject, NotFoundException, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import { MovementListView, StockLevelView } from '../docs/views';
import { SKU_PATTERN } from '../orders/orders.dto';
import { RequirePermissions } from '@shop/security';
import { INVENTORY_CLIENT, type InventoryClient, PRODUCT_CLIENT, type ProductClient } from '../downstream/downstreams';
import { AdjustStockDto, MovementsQueryDto, SetStockDto } from './admin-inventory.dto';

const SKU = new RegExp(SKU_PATTERN);
const SKU_PARAM = { name: 'sku', schema: { type: 'string' as const, pattern: SKU_PATTERN, example: 'KNT-000042-3' } };

function sku(value: string): string {
  if (!SKU.test(value)) throw new BadRequestException('sku must be 1 to 64 letters, digits, ".", "_" or "-"');
  return value;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/inventory')
export class AdminInventoryController {
  constructor(
    @Inject(INVENTORY_CLIENT) private readonly inventory: InventoryClient,
    @Inject(PRODUCT_CLIENT) private readonly products: ProductClient,
  ) {}

  @Get(':sku')
  @RequirePermissions('inventory:read')
  @ApiParam(SKU_PARAM)
  @ApiOkResponse({ type: StockLevelView, description: 'A SKU never stocked has 0 of everything' })
  async stock(@Param('sku') value: string) {
    const { levels } = await this.inventory.call('getStock', { skus: [sku(value)] });
    return levels[0];
  }

  /** Sets on hand to a counted number; answers { sku, onHand, reserved, available }. */
  @Put(':sku')
  @RequirePermissions('inventory:write')
  @ApiParam(SKU_PARAM)
  @ApiOkResponse({ type: StockLevelView })
  @ApiErrors([404, 'No product has the SKU'], [422, 'Fewer on hand than are reserved'])
  async setStock(@Param('sku') value: string, @Body() body: SetStockDto) {
    await this.assertCatalogued(sku(value));
    return this.inventory.call('setStock', { sku: value, onHand: body.onHand, reason: body.reason ?? 'set by admin' });
  }

  @Post(':sku/adjustments')
  @RequirePermissions('inventory:write')
  @ApiParam(SKU_PARAM)
  @ApiCreatedResponse({ type: StockLevelView })
  @ApiErrors([404, 'No product has the SKU'], [422, 'The stock would go below what is reserved, or below 0'])
  async adjustStock(@Param('sku') value: string, @Body() body: AdjustStockDto) {
    await this.assertCatalogued(sku(value));
    return this.inventory.call('adjustStock', { sku: value, delta: body.delta, reason: body.reason });
  }

  @Get(':sku/movements')
  @RequirePermissions('inventory:read')
  @ApiParam(SKU_PARAM)
  @ApiOkResponse({ type: MovementListView })
  movements(@Param('sku') value: string, @Query() query: MovementsQueryDto) {
    return this.inventory.call('listMovements', { sku: sku(value), page: query.page ?? 1, limit: query.limit ?? 50 });
  }

  /**
   * Stock is kept only for SKUs the catalogue has: a mistyped SKU would get stock nobody can buy. The
   * check is here and not in the inventory service on purpose: inventory keeps stock per SKU without
   * knowing the catalogue and calls no one, which keeps reservations for the checkout saga working
   * while the product service is away; this admin route is the one place a person types a SKU (the
   * seed and the saga only write SKUs read from the catalogue), and the gateway already puts the
   * product and inventory services together for product pages. Learning SKUs from product events
   * instead would refuse a product's SKUs for a moment after it is created. A product deleted
   * between this check and the write leaves stock for a SKU nobody can buy, as deleting one always has.
   */
  private async assertCatalogued(sku: string): Promise<void> {
    const { items } = await this.products.call('getVariantsBySku', { skus: [sku] });
    if (!items.some((variant) => variant.sku === sku)) throw new NotFoundException(`no product has the SKU ${sku}`);
  }
}
