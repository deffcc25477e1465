import { Inject, Injectable } from '@nestjs/common';
import type { ProductSnapshotV1 } from '@shop/contracts';
import { PRISMA, type PrismaClient } from '../prisma';
import type { SearchDocument } from './search-backend';

/** Turns product snapshots into search documents, adding every ancestor of the product's categories. */
@Injectable()
export class SearchDocuments {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async fromSnapshot(product: ProductSnapshotV1): Promise<SearchDocument> {
    const categories = await this.prisma.category.findMany({ where: { id: { in: product.categoryIds } }, select: { path: true } });
    return buildDocument(product, [...new Set(categories.flatMap((c) => c.path))]);
  }
}

export function buildDocument(product: ProductSnapshotV1, categoryIdsWithAncestors: string[]): SearchDocument {
  const attrs = new Set<string>();
  for (const [name, value] of Object.entries(product.attributes)) attrs.add(`${name}=${value}`);
  for (const variant of product.variants) for (const [name, value] of Object.entries(variant.attributes)) attrs.add(`${name}=${value}`);
  const cheapest = product.variants.reduce((min, v) => (v.price.amount < min.price.amount ? v : min), product.variants[0]!);
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    brand: product.brand,
    categoryIds: [...categoryIdsWithAncestors].sort(),
    directCategoryIds: [...product.categoryIds].sort(),
    attrs: [...attrs].sort(),
    price: cheapest.price.amount,
    currency: cheapest.price.currency,
    image: product.images[0] ?? '',
    version: product.version,
    createdAt: product.createdAt,
    ratingAverage: product.rating?.average ?? 0,
    ratingCount: product.rating?.count ?? 0,
    ...(product.translations && Object.keys(product.translations).length > 0 ? { translations: product.translations } : {}),
  };
}
