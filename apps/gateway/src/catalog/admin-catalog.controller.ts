import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Injectable,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  type PipeTransform,
  Put,
  Query,
  UnprocessableEntityException,
} from '@nestjs/common';
import { APP_CONFIG } from '@shop/service-kit';
import type { GatewayConfig } from '../config';
import { CATALOGUE_LOCALES, catalogueLocale, LANGUAGE_TAG } from '@shop/validation';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import { AdminProductListView, AdminProductView, CategoryTranslationView, CategoryView, ProductTranslationView } from '../docs/views';
import { RequirePermissions } from '@shop/security';
import { PRODUCT_CLIENT, type ProductClient } from '../downstream/downstreams';
import { SomeChangePipe } from '../validation/some-change.pipe';
import { toCategoryView } from './catalog.controller';
import type { productV1 } from '@shop/contracts';
import {
  CategoryTranslationDto,
  CreateCategoryDto,
  CreateProductDto,
  DeleteProductQueryDto,
  ProductListQueryDto,
  ProductTranslationDto,
  UpdateCategoryDto,
  UpdateProductDto,
  type VariantDto,
} from './catalog.dto';

/** A product as admins read it: availability is the shop's (GET /products/:id), stock is under /admin/inventory. */
function toAdminProduct({ availability: _availability, ...product }: productV1.Product): Omit<productV1.Product, 'availability'> {
  return product;
}

/** The longest language tag taken (BCP 47 tags in use are far shorter). */
const LOCALE_MAX_LENGTH = 35;

const LOCALE_PARAM = {
  name: 'locale',
  description: 'A language of the catalogue other than DEFAULT_LOCALE: fr, de, es, it, nl or pt (fr-CA counts as fr); any other is a 404',
  schema: { type: 'string' as const, pattern: LANGUAGE_TAG.source, maxLength: LOCALE_MAX_LENGTH, example: 'fr' },
};

/**
 * A language tag in the path (400 when it is none); one the catalogue has no translations in (its
 * own language, DEFAULT_LOCALE, or one it lacks) names nothing there: 404 with the list.
 */
@Injectable()
class LocaleParamPipe implements PipeTransform<string> {
  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {}

  transform(value: string): string {
    if (value.length > LOCALE_MAX_LENGTH || !LANGUAGE_TAG.test(value)) throw new BadRequestException('locale must be a language tag such as fr or fr-CA');
    const locale = catalogueLocale(value);
    if (!locale || locale === this.config.DEFAULT_LOCALE) {
      const others = CATALOGUE_LOCALES.filter((candidate) => candidate !== this.config.DEFAULT_LOCALE);
      throw new NotFoundException(`the catalogue has no translations in ${value}: its own language is ${this.config.DEFAULT_LOCALE}, translations are in ${others.join(', ')}`);
    }
    return value;
  }
}

/**
 * What the product service refuses about a product's variants taken together, which no schema can
 * say: the same SKU twice (in any case) or more than one currency. Well-formed, but it cannot be: 422.
 */
function assertVariantsAgree(variants: VariantDto[] | undefined): void {
  if (!variants) return;
  const skus = new Set(variants.map((variant) => variant.sku.toUpperCase()));
  if (skus.size < variants.length) throw new UnprocessableEntityException('a SKU appears twice among the variants');
  if (new Set(variants.map((variant) => variant.price.currency)).size > 1) throw new UnprocessableEntityException('all variants of a product must share one currency');
}

@ApiTags('admin')
@ApiBearerAuth()
@RequirePermissions('catalog:write')
@Controller('admin')
export class AdminCatalogController {
  constructor(@Inject(PRODUCT_CLIENT) private readonly products: ProductClient) {}

  @Post('categories')
  @ApiCreatedResponse({ type: CategoryView })
  @ApiErrors([404, 'No such parent category'], [409, 'The slug is taken'])
  async createCategory(@Body() body: CreateCategoryDto) {
    return toCategoryView(await this.products.call('createCategory', body));
  }

  @Patch('categories/:id')
  @ApiOkResponse({ type: CategoryView })
  @ApiErrors([409, 'The slug is taken'])
  async updateCategory(@Param('id', new ParseUUIDPipe()) id: string, @Body(SomeChangePipe) body: UpdateCategoryDto) {
    return toCategoryView(await this.products.call('updateCategory', { id, ...body }));
  }

  /** A category's name in another locale than DEFAULT_LOCALE (en, fr, de, es, it, nl, pt; fr-CA counts as fr). */
  @Put('categories/:id/translations/:locale')
  @ApiParam(LOCALE_PARAM)
  @ApiOkResponse({ type: CategoryTranslationView })
  setCategoryTranslation(@Param('id', new ParseUUIDPipe()) id: string, @Param('locale', LocaleParamPipe) locale: string, @Body() body: CategoryTranslationDto) {
    return this.products.call('setCategoryTranslation', { id, locale, name: body.name }).then(({ locale: used, name }) => ({ locale: used, name }));
  }

  /** A product's name and description in another locale; the product's version goes up. */
  @Put('products/:id/translations/:locale')
  @ApiParam(LOCALE_PARAM)
  @ApiOkResponse({ type: ProductTranslationView })
  setProductTranslation(@Param('id', new ParseUUIDPipe()) id: string, @Param('locale', LocaleParamPipe) locale: string, @Body() body: ProductTranslationDto) {
    return this.products.call('setProductTranslation', { id, locale, name: body.name, description: body.description ?? '' });
  }

  @Delete('categories/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors([422, 'The category has sub-categories or products'])
  async deleteCategory(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.products.call('deleteCategory', { id });
  }

  @Get('products')
  @ApiOkResponse({ type: AdminProductListView })
  listProducts(@Query() query: ProductListQueryDto) {
    return this.products.call('listProducts', { page: query.page ?? 1, limit: query.limit ?? 20, status: query.status ?? '' }).then((list) => ({ ...list, items: list.items.map(toAdminProduct) }));
  }

  @Post('products')
  @ApiCreatedResponse({ type: AdminProductView })
  @ApiErrors([404, 'No such category'], [409, 'A SKU is taken by another product'], [422, 'A SKU appears twice among the variants, or they are priced in more than one currency'])
  createProduct(@Body() body: CreateProductDto) {
    assertVariantsAgree(body.variants);
    return this.products
      .call('createProduct', {
        product: { ...body, brand: body.brand ?? '', attributes: body.attributes ?? {}, images: body.images ?? [], variants: body.variants.map((v) => ({ ...v, attributes: v.attributes ?? {} })) },
      })
      .then(toAdminProduct);
  }

  @Get('products/:id')
  @ApiOkResponse({ type: AdminProductView })
  product(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.products.call('getProduct', { id, includeDrafts: true }).then(toAdminProduct);
  }

  /** Send the version you read; if someone changed the product since, the answer is 409 and nothing is written. */
  @Patch('products/:id')
  @ApiOkResponse({ type: AdminProductView })
  @ApiErrors(
    [404, 'No such category'],
    [409, 'The version is stale (someone changed the product since), or a SKU is taken by another product'],
    [422, 'A SKU appears twice among the variants, or they are priced in more than one currency'],
  )
  updateProduct(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateProductDto) {
    assertVariantsAgree(body.variants);
    return this.products
      .call('updateProduct', {
        id,
        version: body.version,
        name: body.name,
        description: body.description,
        brand: body.brand,
        status: body.status,
        categoryIds: body.categoryIds && { values: body.categoryIds },
        attributes: body.attributes && { values: body.attributes },
        images: body.images && { values: body.images },
        variants: body.variants && { items: body.variants.map((v) => ({ ...v, attributes: v.attributes ?? {} })) },
      })
      .then(toAdminProduct);
  }

  @Delete('products/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (soft: orders keep what they hold)' })
  @ApiErrors([409, 'The product changed since the version given'])
  async deleteProduct(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: DeleteProductQueryDto): Promise<void> {
    await this.products.call('deleteProduct', { id, version: query.version });
  }
}
