import { z } from 'zod';
import { MoneyV1 } from './money';

/** The whole product as it stands after a change: consumers need no call back to rebuild their view. */
export const ProductSnapshotV1 = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: z.string(),
  brand: z.string(),
  categoryIds: z.array(z.string()),
  attributes: z.record(z.string(), z.string()),
  images: z.array(z.string()),
  status: z.enum(['draft', 'published']),
  variants: z.array(z.object({ sku: z.string().min(1), price: MoneyV1, attributes: z.record(z.string(), z.string()) })),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Of its published reviews, from review.summary_changed; added later, so older events lack it. */
  rating: z.object({ average: z.number().min(0).max(5), count: z.number().int().min(0) }).optional(),
  /** Name and description per locale other than the default; added later, so older events lack it. */
  translations: z.record(z.string(), z.object({ name: z.string(), description: z.string() })).optional(),
});
export type ProductSnapshotV1 = z.infer<typeof ProductSnapshotV1>;

/** product.created and product.updated v1. */
export const ProductChangedV1 = z.object({ product: ProductSnapshotV1 });
export type ProductChangedV1 = z.infer<typeof ProductChangedV1>;

/** product.deleted v1: the product left the catalogue (soft delete) at this version. */
export const ProductDeletedV1 = z.object({ productId: z.string().min(1), version: z.number().int() });
export type ProductDeletedV1 = z.infer<typeof ProductDeletedV1>;

/** category.changed v1: a category was created, renamed or deleted; the tree is one read away. */
export const CategoryChangedV1 = z.object({ categoryId: z.string().min(1), change: z.enum(['created', 'updated', 'deleted']) });
export type CategoryChangedV1 = z.infer<typeof CategoryChangedV1>;
