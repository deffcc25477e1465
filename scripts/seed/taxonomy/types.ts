import type { Random } from '../random';

/** A dimension the variants of a product differ in: size, colour, capacity… */
export interface Axis {
  /** The variant attribute's name. */
  name: string;
  values: string[];
  /** Price multiplier per value (a bigger pan costs more); 1 for all when absent. */
  factors?: number[];
}

/** What the products of a category are made of: the words for their names and descriptions, prices, variants. */
export interface Family {
  /** Prefix of the SKUs, three capitals. */
  code: string;
  nouns: string[];
  adjectives?: string[];
  /** Named in the product name now and then, always in the `material` attribute (or the one named below). */
  materials?: string[];
  /** Where the material goes when "material" is the wrong word (a cream's key ingredient). */
  materialAttribute?: string;
  /** The `colour` attribute of the product, or of its variants when they come in two colours. */
  colours?: string[];
  axes?: Axis[];
  /** Base price range in euros. */
  price: [number, number];
  /** Ranges for nouns that do not fit the family's (a moka pot is not an espresso machine). */
  nounPrices?: Record<string, [number, number]>;
  /** Further product attributes: a value drawn from the list, or made by the function. */
  attributes?: Record<string, readonly string[] | ((random: Random) => string)>;
  /** Description sentences; {brand}, {noun}, {material} and {colour} are filled in. */
  blurbs: string[];
  brands?: string[];
  /** A name built another way than adjective + material + noun (book titles). */
  title?: (random: Random) => string;
}

export interface CategoryNode {
  name: string;
  /** Only where the generated slug would be ambiguous or awkward. */
  slug?: string;
  /** Brands for the products below, unless a family names its own. */
  brands?: string[];
  /** Sentences any product below may end its description with. */
  blurbs?: string[];
  /** Fixed attributes of every product below (department: Women). */
  attributes?: Record<string, string>;
  /** Leaves only: the kind of product listed here. */
  family?: Family;
  /** Slugs of categories where some products of this one are listed too. */
  alsoIn?: string[];
  children?: CategoryNode[];
}

/** Values with a price that grows by `step` per value: 20 cm, 24 cm, 28 cm… */
export function stepped(name: string, values: string[], step: number): Axis {
  return { name, values, factors: values.map((_, i) => 1 + step * i) };
}
