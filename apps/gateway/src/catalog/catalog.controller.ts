import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { productV1 } from '@shop/contracts';
import { Public } from '@shop/security';
import { INVENTORY_CLIENT, type InventoryClient, PRODUCT_CLIENT, type ProductClient } from '../downstream/downstreams';
import { parseSearchQuery } from './search-query';

export function toCategoryView(category: productV1.Category) {
  return { id: category.id, name: category.name, slug: category.slug, parentId: category.parentId ?? null, path: category.path };
}

/** The shop's catalogue: published products only. */
@ApiTags('catalog')
@Public()
@Controller()
export class CatalogController {
  constructor(
    @Inject(PRODUCT_CLIENT) private readonly products: ProductClient,
    @Inject(INVENTORY_CLIENT) private readonly inventory: InventoryClient,
  ) {}

  @Get('products')
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'category', required: false, description: 'Category id or slug; sub-categories match too' })
  @ApiQuery({ name: 'minPrice', required: false, description: 'Minor units' })
  @ApiQuery({ name: 'maxPrice', required: false, description: 'Minor units' })
  @ApiQuery({ name: 'sort', required: false, enum: ['relevance', 'price_asc', 'price_desc', 'newest'] })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'limit', required: false, description: 'At most 100' })
  @ApiOkResponse({ description: '{ items, total, page, limit, facets: { <facet>: [{ value, count }] } }; filter attributes with attr.<name>=<value>' })
  async search(@Query() query: Record<string, unknown>) {
    const result = await this.products.call('searchProducts', parseSearchQuery(query));
    return {
      items: result.items,
      total: result.total,
      page: result.page,
      limit: result.limit,
      facets: Object.fromEntries(result.facets.map((facet) => [facet.name, facet.buckets])),
    };
  }

  /** Product detail with each variant's availability, read fresh from inventory. */
  @Get('products/:id')
  async product(@Param('id', new ParseUUIDPipe()) id: string) {
    const product = await this.products.call('getProduct', { id, includeDrafts: false });
    const skus = product.variants.map((variant) => variant.sku);
    const { levels } = await this.inventory.call('getStock', { skus });
    const available = new Map(levels.map((level) => [level.sku, level.available]));
    const { status: _status, ...shown } = product;
    return { ...shown, variants: product.variants.map((variant) => ({ ...variant, available: available.get(variant.sku) ?? 0 })) };
  }

  @Get('categories')
  async categories() {
    const { items } = await this.products.call('listCategories', {});
    return { items: items.map(toCategoryView), total: items.length, page: 1, limit: items.length };
  }
}
