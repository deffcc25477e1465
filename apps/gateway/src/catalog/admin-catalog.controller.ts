import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, Injectable, Param, ParseUUIDPipe, Patch, Post, type PipeTransform, Put, Query } from '@nestjs/common';
import { LANGUAGE_TAG } from '@shop/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@shop/security';
import { PRODUCT_CLIENT, type ProductClient } from '../downstream/downstreams';
import { SomeChangePipe } from '../validation/some-change.pipe';
import { toCategoryView } from './catalog.controller';
import {
  CategoryTranslationDto,
  CreateCategoryDto,
  CreateProductDto,
  DeleteProductQueryDto,
  ProductListQueryDto,
  ProductTranslationDto,
  UpdateCategoryDto,
  UpdateProductDto,
} from './catalog.dto';

/** A language tag in the path; whether the catalogue has that language is the product service's answer (400 with the list). */
@Injectable()
class LocaleParamPipe implements PipeTransform<string> {
  transform(value: string): string {
    if (!LANGUAGE_TAG.test(value)) throw new BadRequestException('locale must be a language tag such as fr or fr-CA');
    return value;
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@RequirePermissions('catalog:write')
@Controller('admin')
export class AdminCatalogController {
  constructor(@Inject(PRODUCT_CLIENT) private readonly products: ProductClient) {}

  @Post('categories')
  async createCategory(@Body() body: CreateCategoryDto) {
    return toCategoryView(await this.products.call('createCategory', body));
  }

  @Patch('categories/:id')
  async updateCategory(@Param('id', new ParseUUIDPipe()) id: string, @Body(SomeChangePipe) body: UpdateCategoryDto) {
    return toCategoryView(await this.products.call('updateCategory', { id, ...body }));
  }

  /** A category's name in another locale than DEFAULT_LOCALE (en, fr, de, es, it, nl, pt; fr-CA counts as fr). */
  @Put('categories/:id/translations/:locale')
  setCategoryTranslation(@Param('id', new ParseUUIDPipe()) id: string, @Param('locale', LocaleParamPipe) locale: string, @Body() body: CategoryTranslationDto) {
    return this.products.call('setCategoryTranslation', { id, locale, name: body.name }).then(({ locale: used, name }) => ({ locale: used, name }));
  }

  /** A product's name and description in another locale; the product's version goes up. */
  @Put('products/:id/translations/:locale')
  setProductTranslation(@Param('id', new ParseUUIDPipe()) id: string, @Param('locale', LocaleParamPipe) locale: string, @Body() body: ProductTranslationDto) {
    return this.products.call('setProductTranslation', { id, locale, name: body.name, description: body.description ?? '' });
  }

  @Delete('categories/:id')
  @HttpCode(204)
  async deleteCategory(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.products.call('deleteCategory', { id });
  }

  @Get('products')
  listProducts(@Query() query: ProductListQueryDto) {
    return this.products.call('listProducts', { page: query.page ?? 1, limit: query.limit ?? 20, status: query.status ?? '' });
  }

  @Post('products')
  createProduct(@Body() body: CreateProductDto) {
    return this.products.call('createProduct', {
      product: { ...body, brand: body.brand ?? '', attributes: body.attributes ?? {}, images: body.images ?? [], variants: body.variants.map((v) => ({ ...v, attributes: v.attributes ?? {} })) },
    });
  }

  @Get('products/:id')
  product(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.products.call('getProduct', { id, includeDrafts: true });
  }

  /** Send the version you read; if someone changed the product since, the answer is 409 and nothing is written. */
  @Patch('products/:id')
  updateProduct(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateProductDto) {
    return this.products.call('updateProduct', {
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
    });
  }

  @Delete('products/:id')
  @HttpCode(204)
  async deleteProduct(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: DeleteProductQueryDto): Promise<void> {
    await this.products.call('deleteProduct', { id, version: query.version });
  }
}
