export interface MoneyV1 {
  amount: number;
  currency: string;
}

/** The whole product as it stands after a change: consumers need no call back to rebuild their view. */
export interface ProductSnapshotV1 {
  id: string;
  name: string;
  description: string;
  brand: string;
  categoryIds: string[];
  attributes: Record<string, string>;
  images: string[];
  status: 'draft' | 'published';
  variants: Array<{ sku: string; price: MoneyV1; attributes: Record<string, string> }>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** product.created and product.updated v1. */
export interface ProductChangedV1 {
  product: ProductSnapshotV1;
}

/** product.deleted v1: the product left the catalogue (soft delete) at this version. */
export interface ProductDeletedV1 {
  productId: string;
  version: number;
}
