import type { ProductSnapshotV1 } from '@shop/contracts';
import type { Prisma } from '../prisma';

export const PRODUCT_WITH_DETAILS = {
  variants: { orderBy: { position: 'asc' } },
  categories: { select: { categoryId: true } },
  translations: { select: { locale: true, name: true, description: true }, orderBy: { locale: 'asc' } },
} satisfies Prisma.ProductInclude;

export type ProductWithDetails = Prisma.ProductGetPayload<{ include: typeof PRODUCT_WITH_DETAILS }>;

/** The product as events, caches and API answers carry it. */
export function toSnapshot(product: ProductWithDetails): ProductSnapshotV1 {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    brand: product.brand,
    categoryIds: product.categories.map((c) => c.categoryId).sort(),
    attributes: product.attributes as Record<string, string>,
    images: product.images,
    status: product.status as ProductSnapshotV1['status'],
    variants: product.variants.map((variant) => ({
      sku: variant.sku,
      price: { amount: variant.priceAmount, currency: variant.currency },
      attributes: variant.attributes as Record<string, string>,
    })),
    version: product.version,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
    rating: { average: product.ratingAverage, count: product.ratingCount },
    translations: Object.fromEntries(product.translations.map((t) => [t.locale, { name: t.name, description: t.description }])),
  };
}
