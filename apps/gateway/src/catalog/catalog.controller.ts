import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { productV1 } from '@shop/contracts';
import { Public } from '@shop/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INVENTORY_CLIENT, type InventoryClient, PRODUCT_CLIENT, type ProductClient } from '../downstream/downstreams';
import { CatalogueAnswers } from './catalogue-answers';
import { parseSearchQuery } from './search-query';

export function toCategoryView(category: productV1.Category) {
  return { id: category.id, name: category.name, slug: category.slug, parentId: category.parentId ?? null, path: category.path };
}

/** How stale a listing can be after the search index has taken a change: its refresh lag, about. */
export const LISTING_MAX_AGE_MS = 2000;

/**
 * The shop's catalogue: published products only. Answers carry an entity tag and a public
 * Cache-Control and come from the gateway's catalogue cache while no event has made them stale.
 */
@ApiTags('catalog')
@Public()
@Controller()
export class CatalogController {
  constructor(
    @Inject(PRODUCT_CLIENT) private readonly products: ProductClient,
    @Inject(INVENTORY_CLIENT) private readonly inventory: InventoryClient,
    private readonly answers: CatalogueAnswers,
  ) {}

  @Get('products')
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'category', required: false, description: 'Category id or slug; sub-categories match too' })
  @ApiQuery({ name: 'minPrice', required: false, description: 'Minor units' })
  @ApiQuery({ name: 'maxPrice', required: false, description: 'Minor units' })
  @ApiQuery({ name: 'minRating', required: false, description: 'Only products whose reviews average at least this (0 to 5)' })
  @ApiQuery({ name: 'sort', required: false, enum: ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'] })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'limit', required: false, description: 'At most 100' })
  @ApiOkResponse({ description: '{ items, total, page, limit, facets: { <facet>: [{ value, count }] } }; filter attributes with attr.<name>=<value>' })
  search(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const search = parseSearchQuery(query);
    return this.answers.serve(request, reply, async () => {
      const result = await this.products.call('searchProducts', search);
      const value = {
        items: result.items,
        total: result.total,
        page: result.page,
        limit: result.limit,
        facets: Object.fromEntries(result.facets.map((facet) => [facet.name, facet.buckets])),
      };
      // The search index takes the change after the event that invalidated the listing.
      return { value, tags: ['listings'], maxAgeMs: LISTING_MAX_AGE_MS };
    });
  }

  /** Product detail with each variant's availability, as of the last stock event for its SKUs. */
  @Get('products/:id')
  product(@Param('id', new ParseUUIDPipe()) id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answers.serve(request, reply, async () => {
      const product = await this.products.call('getProduct', { id, includeDrafts: false });
      const skus = product.variants.map((variant) => variant.sku);
      const { levels } = await this.inventory.call('getStock', { skus });
      const available = new Map(levels.map((level) => [level.sku, level.available]));
      const { status: _status, ...shown } = product;
      const value = { ...shown, variants: product.variants.map((variant) => ({ ...variant, available: available.get(variant.sku) ?? 0 })) };
      return { value, tags: [`product:${product.id}`, 'availability', ...skus.map((sku) => `sku:${sku}`)] };
    });
  }

  @Get('categories')
  categories(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answers.serve(request, reply, async () => {
      const { items } = await this.products.call('listCategories', {});
      return { value: { items: items.map(toCategoryView), total: items.length, page: 1, limit: items.length }, tags: ['categories'] };
    });
  }
}
