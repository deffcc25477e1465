import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import { CategoryListView, FacetBucketView, ProductView, SearchResultView } from '../docs/views';
import { LOCALE_QUERY } from './locale';
import { ATTRIBUTE_FILTER_QUERY, CATEGORY_MAX_LENGTH, SEARCH_LIMIT_MAX, SEARCH_PAGE_MAX, SEARCH_QUERY_MAX_LENGTH } from './search-query';
import { MAX_AMOUNT_MINOR_UNITS } from '@shop/validation';
import type { productV1 } from '@shop/contracts';
import { Public } from '@shop/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PRODUCT_CLIENT, type ProductClient } from '../downstream/downstreams';
import { APP_CONFIG } from '@shop/service-kit';
import type { GatewayConfig } from '../config';
import { CatalogueAnswers } from './catalogue-answers';
import { HeardStockVersions } from './heard-stock-versions';
import { negotiateLocale } from './locale';
import { parseSearchQuery } from './search-query';
import { toSearchView } from './search-view';

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
@ApiExtraModels(FacetBucketView)
@Public()
@Controller()
export class CatalogController {
  constructor(
    @Inject(PRODUCT_CLIENT) private readonly products: ProductClient,
    private readonly stockVersions: HeardStockVersions,
    private readonly answers: CatalogueAnswers,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('products')
  @ApiQuery({ name: 'q', required: false, description: 'Words; they also match the text of the locale read in', schema: { type: 'string', maxLength: SEARCH_QUERY_MAX_LENGTH, example: 'mug' } })
  @ApiQuery(LOCALE_QUERY)
  @ApiQuery({ name: 'category', required: false, description: 'Category id or slug; sub-categories match too', schema: { type: 'string', maxLength: CATEGORY_MAX_LENGTH, example: 'mugs' } })
  @ApiQuery({ name: 'minPrice', required: false, description: 'Minor units', schema: { type: 'integer', minimum: 0, maximum: MAX_AMOUNT_MINOR_UNITS, example: 1000 } })
  @ApiQuery({ name: 'maxPrice', required: false, description: 'Minor units; below minPrice finds nothing', schema: { type: 'integer', minimum: 0, maximum: MAX_AMOUNT_MINOR_UNITS, example: 2500 } })
  @ApiQuery({ name: 'minRating', required: false, description: 'Only products whose reviews average at least this', schema: { type: 'number', minimum: 0, maximum: 5, multipleOf: 0.01, example: 4 } })
  @ApiQuery({ name: 'sort', required: false, enum: ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'], description: 'relevance with q, else newest' })
  @ApiQuery({ name: 'page', required: false, schema: { type: 'integer', minimum: 1, maximum: SEARCH_PAGE_MAX, default: 1 } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: SEARCH_LIMIT_MAX, default: 20 } })
  @ApiQuery(ATTRIBUTE_FILTER_QUERY)
  @ApiOkResponse({ type: SearchResultView })
  @ApiErrors([404, 'No category has that id or slug'])
  search(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const search = parseSearchQuery(query);
    const locale = this.locale(query, request);
    return this.answers.serve(request, reply, async () => {
      const value = toSearchView(await this.products.call('searchProducts', { ...search, locale }));
      // The search index takes the change after the event that invalidated the listing.
      return { value, tags: ['listings'], maxAgeMs: LISTING_MAX_AGE_MS, language: locale };
    }, locale);
  }

  /**
   * Product detail with each variant's availability, from the product service's copy of inventory's
   * stock events (one call, none to inventory). Kept until a product or stock event for it; a read
   * whose availability is behind a stock event this gateway has heard is answered but not kept.
   */
  @Get('products/:id')
  @ApiQuery(LOCALE_QUERY)
  @ApiOkResponse({ type: ProductView, description: 'Content-Language says the language of its text' })
  product(@Param('id', new ParseUUIDPipe()) id: string, @Query('locale') asked: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const locale = this.locale({ locale: asked }, request);
    return this.answers.serve(request, reply, async () => {
      const product = await this.products.call('getProduct', { id, includeDrafts: false, locale, withAvailability: true });
      const available = new Map(product.availability.map((level) => [level.sku, level.available]));
      const { status: _status, locale: language, availability, ...shown } = product;
      const value = { ...shown, variants: product.variants.map((variant) => ({ ...variant, available: available.get(variant.sku) ?? 0 })) };
      const tags = [`product:${product.id}`, 'availability', ...product.variants.map((variant) => `sku:${variant.sku}`)];
      // Content-Language: the language the product's text is in (the default where it is not translated).
      return { value, tags, language: language || locale, ...(this.stockVersions.behind(availability) ? { maxAgeMs: 0 } : {}) };
    }, locale);
  }

  @Get('categories')
  @ApiQuery(LOCALE_QUERY)
  @ApiOkResponse({ type: CategoryListView })
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
