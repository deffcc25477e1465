import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { productV1 } from '@shop/contracts';
import { Public } from '@shop/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INVENTORY_CLIENT, type InventoryClient, PRODUCT_CLIENT, type ProductClient } from '../downstream/downstreams';
import { APP_CONFIG } from '@shop/service-kit';
import type { GatewayConfig } from '../config';
import { CatalogueAnswers } from './catalogue-answers';
import { negotiateLocale } from './locale';
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
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('products')
  @ApiQuery({ name: 'q', required: false, description: 'Words; they also match the text of the locale read in' })
  @ApiQuery({ name: 'locale', required: false, description: 'en, fr, de, es, it, nl or pt; else Accept-Language, else DEFAULT_LOCALE' })
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
    const locale = this.locale(query, request);
    return this.answers.serve(request, reply, async () => {
      const result = await this.products.call('searchProducts', { ...search, locale });
      const value = {
        items: result.items,
        total: result.total,
        page: result.page,
        limit: result.limit,
        facets: Object.fromEntries(result.facets.map((facet) => [facet.name, facet.buckets])),
      };
      // The search index takes the change after the event that invalidated the listing.
      return { value, tags: ['listings'], maxAgeMs: LISTING_MAX_AGE_MS, language: locale };
    }, locale);
  }

  /** Product detail with each variant's availability, as of the last stock event for its SKUs. */
  @Get('products/:id')
  product(@Param('id', new ParseUUIDPipe()) id: string, @Query('locale') asked: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const locale = this.locale({ locale: asked }, request);
    return this.answers.serve(request, reply, async () => {
      const product = await this.products.call('getProduct', { id, includeDrafts: false, locale });
      const skus = product.variants.map((variant) => variant.sku);
      const { levels } = await this.inventory.call('getStock', { skus });
      const available = new Map(levels.map((level) => [level.sku, level.available]));
      const { status: _status, locale: language, ...shown } = product;
      const value = { ...shown, variants: product.variants.map((variant) => ({ ...variant, available: available.get(variant.sku) ?? 0 })) };
      // Content-Language: the language the product's text is in (the default where it is not translated).
      return { value, tags: [`product:${product.id}`, 'availability', ...skus.map((sku) => `sku:${sku}`)], language: language || locale };
    }, locale);
  }

  @Get('categories')
  categories(@Query('locale') asked: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const locale = this.locale({ locale: asked }, request);
    return this.answers.serve(request, reply, async () => {
      const { items } = await this.products.call('listCategories', { locale });
      return { value: { items: items.map(toCategoryView), total: items.length, page: 1, limit: items.length }, tags: ['categories'], language: locale };
    }, locale);
  }

  /** `?locale=`, else the best of Accept-Language the catalogue has, else DEFAULT_LOCALE. */
  private locale(query: { locale?: unknown }, request: FastifyRequest): string {
    return negotiateLocale({ locale: query.locale, acceptLanguage: request.headers['accept-language'] }, this.config.DEFAULT_LOCALE);
  }
}
