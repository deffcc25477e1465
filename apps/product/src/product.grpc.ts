import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@shop/service-kit';
import type { ProductConfig } from './config';
import { localizeProduct, readLocale, translationLocale } from './i18n/locales';
import { productV1, type ProductSnapshotV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import type { ServiceHandlers } from '@shop/grpc';
import { pageWindow } from '@shop/validation';
import { Availability } from './availability/availability';
import { CategoriesService } from './categories/categories.service';
import type { Category } from './prisma';
import { ProductsService } from './products/products.service';
import { toSearchProductsResponse } from './search/search-answer';
import { SearchService } from './search/search.service';

function toCategory(category: Category): productV1.Category {
  return {
    id: category.id,
    name: category.name,
    slug: category.slug,
    parentId: category.parentId ?? undefined,
    path: category.path,
    createdAt: category.createdAt.toISOString(),
  };
}

function toProduct(product: ProductSnapshotV1, availability: productV1.SkuAvailability[] = []): productV1.Product {
  return { ...product, availability };
}

/** The ProductService contract, mapped onto categories, products and search. */
@Injectable()
export class ProductGrpcHandlers implements ServiceHandlers<typeof productV1.ProductServiceService> {
  constructor(
    private readonly categories: CategoriesService,
    private readonly products: ProductsService,
    private readonly searchService: SearchService,
    private readonly availability: Availability,
    @Inject(APP_CONFIG) private readonly config: ProductConfig,
  ) {}

  async setProductTranslation(request: productV1.SetProductTranslationRequest): Promise<productV1.Translation> {
    return this.products.setTranslation(request.id, translationLocale(request.locale, this.config.DEFAULT_LOCALE), request);
  }

  async setCategoryTranslation(request: productV1.SetCategoryTranslationRequest): Promise<productV1.Translation> {
    return this.categories.setTranslation(request.id, translationLocale(request.locale, this.config.DEFAULT_LOCALE), request);
  }

  async createCategory(request: productV1.CreateCategoryRequest): Promise<productV1.Category> {
    return toCategory(await this.categories.create(request));
  }

  async updateCategory(request: productV1.UpdateCategoryRequest): Promise<productV1.Category> {
    return toCategory(await this.categories.update(request.id, { name: request.name, slug: request.slug }));
  }

  async deleteCategory(request: productV1.DeleteCategoryRequest): Promise<productV1.DeleteCategoryResponse> {
    await this.categories.remove(request.id);
    return {};
  }

  async listCategories(request: productV1.ListCategoriesRequest): Promise<productV1.ListCategoriesResponse> {
    const locale = readLocale(request.locale, this.config.DEFAULT_LOCALE);
    return { items: (await this.categories.list(locale === this.config.DEFAULT_LOCALE ? undefined : locale)).map(toCategory) };
  }

  async createProduct(request: productV1.CreateProductRequest): Promise<productV1.Product> {
    if (!request.product) throw AppError.invalid('product is required');
    return toProduct(await this.products.create(request.product));
  }

  async updateProduct(request: productV1.UpdateProductRequest): Promise<productV1.Product> {
    if (!Number.isInteger(request.version) || request.version < 1) throw AppError.invalid('version must be the version you read');
    return toProduct(
      await this.products.update(request.id, {
        version: request.version,
        name: request.name,
        description: request.description,
        brand: request.brand,
        categoryIds: request.categoryIds?.values,
        attributes: request.attributes?.values,
        images: request.images?.values,
        status: request.status,
        variants: request.variants?.items,
      }),
    );
  }

  async deleteProduct(request: productV1.DeleteProductRequest): Promise<productV1.DeleteProductResponse> {
    await this.products.remove(request.id, request.version);
    return {};
  }

  async getProduct(request: productV1.GetProductRequest): Promise<productV1.Product> {
    const product = await this.products.get(request.id, request.includeDrafts);
    // Read after the product (never kept with it in the detail cache): as fresh as the stock events heard.
    const availability = request.withAvailability ? await this.availability.of(product.variants.map((variant) => variant.sku)) : [];
    return toProduct(localizeProduct(product, readLocale(request.locale, this.config.DEFAULT_LOCALE), this.config.DEFAULT_LOCALE), availability);
  }

  async listProducts(request: productV1.ListProductsRequest): Promise<productV1.ListProductsResponse> {
    const { page, limit } = pageWindow(request, { defaultLimit: 20 });
    const { items, total } = await this.products.list(page, limit, request.status || undefined);
    return { items: items.map((item) => toProduct(item)), total, page, limit };
  }

  async importProducts(request: productV1.ImportProductsRequest): Promise<productV1.ImportProductsResponse> {
    if (request.products.length > 1000) throw AppError.invalid('import at most 1000 products per call');
    return { ids: await this.products.import(request.products) };
  }

  async getVariantsBySku(request: productV1.GetVariantsBySkuRequest): Promise<productV1.GetVariantsBySkuResponse> {
    return { items: await this.products.variantsBySku(request.skus) };
  }

  async searchProducts(request: productV1.SearchProductsRequest): Promise<productV1.SearchProductsResponse> {
    return toSearchProductsResponse(await this.searchService.search(request));
  }
}
