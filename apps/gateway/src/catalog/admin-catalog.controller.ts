import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@shop/security';
import { PRODUCT_CLIENT, type ProductClient } from '../downstream/downstreams';
import { SomeChangePipe } from '../validation/some-change.pipe';
import { toCategoryView } from './catalog.controller';
import { CreateCategoryDto, CreateProductDto, DeleteProductQueryDto, ProductListQueryDto, UpdateCategoryDto, UpdateProductDto } from './catalog.dto';

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
