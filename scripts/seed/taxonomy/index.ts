// Slugs made exactly as the product service makes them from a category name.
import { slugify } from '../../../apps/product/src/categories/slug';
import { beauty } from './beauty';
import { books } from './books';
import { clothing } from './clothing';
import { electronics } from './electronics';
import { homeKitchen } from './home-kitchen';
import { shoes } from './shoes';
import { sports } from './sports';
import { toys } from './toys';
import type { CategoryNode, Family } from './types';

export type { Axis, Family } from './types';

export const TAXONOMY: CategoryNode[] = [clothing, shoes, homeKitchen, electronics, sports, beauty, toys, books];

export interface TaxonomyCategory {
  key: string;
  name: string;
  slug: string;
  parentKey?: string;
}

/** A category products are placed in, with everything it inherits from the categories above it. */
export interface Shelf {
  key: string;
  family: Family;
  brands: string[];
  blurbs: string[];
  attributes: Record<string, string>;
  alsoIn: string[];
}

/**
 * The tree as a flat list, parents before children, keyed by slug (slugs are unique across the
 * whole catalogue, so they double as keys), and the shelves products go on.
 */
export function flattenTaxonomy(roots: CategoryNode[]): { categories: TaxonomyCategory[]; shelves: Shelf[] } {
  const categories: TaxonomyCategory[] = [];
  const shelves: Shelf[] = [];
  const visit = (node: CategoryNode, parent: { key: string; brands: string[]; blurbs: string[]; attributes: Record<string, string> } | undefined) => {
    const key = node.slug ?? slugify(node.name);
    if (categories.some((c) => c.key === key)) throw new Error(`two categories have the slug ${key}`);
    categories.push({ key, name: node.name, slug: key, ...(parent ? { parentKey: parent.key } : {}) });
    const inherited = {
      key,
      brands: node.brands ?? parent?.brands ?? [],
      blurbs: [...(parent?.blurbs ?? []), ...(node.blurbs ?? [])],
      attributes: { ...parent?.attributes, ...node.attributes },
    };
    if (node.family) {
      if (node.children) throw new Error(`${key} has a family and sub-categories; products go on leaves only`);
      shelves.push({ ...inherited, family: node.family, brands: node.family.brands ?? inherited.brands, alsoIn: node.alsoIn ?? [] });
    }
    for (const child of node.children ?? []) visit(child, inherited);
  };
  for (const root of roots) visit(root, undefined);
  for (const shelf of shelves) {
    for (const other of shelf.alsoIn) if (!categories.some((c) => c.key === other)) throw new Error(`${shelf.key} is also listed in ${other}, which does not exist`);
  }
  return { categories, shelves };
}
