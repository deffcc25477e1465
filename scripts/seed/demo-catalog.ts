// A demo catalogue that looks like a shop's: a category tree three levels deep, and products with
// brands, names, descriptions, attributes, variants and prices that fit their category. The same
// options always give the same catalogue, byte for byte, and product i does not depend on how many
// are asked for: 2,000 products are the first 2,000 of 100,000.
import { Random } from './random';
import { type Family, flattenTaxonomy, type Shelf, TAXONOMY } from './taxonomy';

export const DEFAULT_PRODUCTS = 2000;
export const DEFAULT_SEED = 20_261_122;
export const CURRENCY = 'EUR';
const DRAFT_SHARE = 0.1;
const SECOND_CATEGORY_SHARE = 0.3;
const MIN_PRICE = 5_00;
const MAX_PRICE = 900_00;

export interface DemoCategory {
  key: string;
  name: string;
  slug: string;
  parentKey?: string;
}

export interface DemoVariant {
  sku: string;
  price: { amount: number; currency: string };
  attributes: Record<string, string>;
}

/** A product as the ProductInput contract has it, with category keys where the contract has ids. */
export interface DemoProduct {
  name: string;
  description: string;
  brand: string;
  categoryKeys: string[];
  attributes: Record<string, string>;
  images: string[];
  status: 'draft' | 'published';
  variants: DemoVariant[];
}

export interface CatalogOptions {
  products?: number;
  seed?: number;
}

const { categories: CATEGORIES, shelves: SHELVES } = flattenTaxonomy(TAXONOMY);

export function demoCategories(): DemoCategory[] {
  return CATEGORIES.map((category) => ({ ...category }));
}

/** Products one at a time, for counts too large to hold at once. */
export function* demoProducts(options: CatalogOptions = {}): Generator<DemoProduct> {
  const count = options.products ?? DEFAULT_PRODUCTS;
  for (let index = 0; index < count; index += 1) yield demoProduct(index, options.seed);
}

export function generateCatalog(options: CatalogOptions = {}): { categories: DemoCategory[]; products: DemoProduct[] } {
  return { categories: demoCategories(), products: [...demoProducts(options)] };
}

export function demoProduct(index: number, seed = DEFAULT_SEED): DemoProduct {
  const random = Random.forItem(seed, index);
  const shelf = random.pick(SHELVES);
  const family = shelf.family;
  const brand = random.pick(shelf.brands);
  const noun = random.pick(family.nouns);
  const attributes: Record<string, string> = { ...shelf.attributes };
  const material = family.materials && random.pick(family.materials);
  if (material) attributes[family.materialAttribute ?? 'material'] = material;
  for (const [name, values] of Object.entries(family.attributes ?? {})) {
    attributes[name] = typeof values === 'function' ? values(random) : random.pick(values);
  }
  const name = family.title ? family.title(random) : composeName(random, family, noun, material);
  const options = variantOptions(random, family);
  if (family.colours && !options.some((o) => o.attributes.colour)) attributes.colour = random.pick(family.colours);
  const basePrice = logUniform(random, family.nounPrices?.[noun] ?? family.price);
  // Cents off the round price: x.99 half the time, x.95 a third, x.00 the rest.
  const ending = random.pick([1, 1, 1, 5, 5, 0]);
  const variants = options.map((option, position) => ({
    sku: `${family.code}-${String(index + 1).padStart(6, '0')}-${position + 1}`,
    price: { amount: price(basePrice * option.factor, ending), currency: CURRENCY },
    attributes: option.attributes,
  }));
  const colour = attributes.colour ?? variants[0]!.attributes.colour;
  return {
    name,
    description: describe(random, shelf, { ...attributes, brand, noun, ...(material ? { material } : {}), ...(colour ? { colour } : {}) }),
    brand,
    categoryKeys: shelf.alsoIn.length > 0 && random.chance(SECOND_CATEGORY_SHARE) ? [shelf.key, random.pick(shelf.alsoIn)] : [shelf.key],
    attributes,
    images: variants.slice(0, 3).map((v) => `https://images.shop.example/p/${v.sku}.jpg`),
    status: random.chance(DRAFT_SHARE) ? 'draft' : 'published',
    variants,
  };
}

/** [adjective] [material] noun, leaving out a word the name already has ("Leather Leather Belt"). */
function composeName(random: Random, family: Family, noun: string, material: string | undefined): string {
  const words = new Set(noun.toLowerCase().split(/[\s-]+/));
  const parts: string[] = [];
  const add = (part: string | undefined) => {
    if (!part || part.toLowerCase().split(/[\s-]+/).some((word) => words.has(word))) return;
    parts.push(part);
    for (const word of part.toLowerCase().split(/[\s-]+/)) words.add(word);
  };
  if (family.adjectives && random.chance(0.55)) add(random.pick(family.adjectives));
  if (random.chance(0.6)) add(material);
  return [...parts, noun].join(' ');
}

/** One to six variants: along the family's first axis, sometimes in two colours. */
function variantOptions(random: Random, family: Family): Array<{ attributes: Record<string, string>; factor: number }> {
  const axis = family.axes?.[0];
  if (!axis) return [{ attributes: {}, factor: 1 }];
  const wanted = random.pick([1, 1, 2, 3, 3, 4, 4, 5, 6]);
  const inColours = Boolean(family.colours) && wanted >= 4 && random.chance(0.35);
  const count = Math.min(inColours ? Math.floor(wanted / 2) : wanted, axis.values.length);
  // A run of neighbouring values (sizes M to XL), not a random scatter.
  const start = random.int(0, axis.values.length - count);
  const steps = axis.values.slice(start, start + count).map((value, i) => ({ value, factor: axis.factors?.[start + i] ?? 1 }));
  const colours = inColours ? random.sample(family.colours!, 2) : [undefined];
  return colours.flatMap((colour) =>
    steps.map((step) => ({ attributes: { [axis.name]: step.value, ...(colour ? { colour } : {}) }, factor: step.factor })),
  );
}

/** Prices spread evenly on a log scale, so a range of 9 to 240 has as many cheap items as dear ones. */
function logUniform(random: Random, [min, max]: [number, number]): number {
  return min * (max / min) ** random.next();
}

/** Euros to minor units with a shop's endings: 24.99, 24.95 or 25.00. */
function price(euros: number, ending: number): number {
  return Math.min(MAX_PRICE, Math.max(MIN_PRICE, Math.round(euros) * 100 - ending));
}

/** One to three sentences: the one naming the product, maybe another about it, maybe one about the range. */
function describe(random: Random, shelf: Shelf, values: Record<string, string>): string {
  const fits = (sentence: string) => [...sentence.matchAll(/\{(\w+)\}/g)].every(([, name]) => values[name!] !== undefined);
  const [intro, ...others] = shelf.family.blurbs.filter(fits);
  const sentences = [intro!];
  if (others.length > 0 && random.chance(0.6)) sentences.push(random.pick(others));
  if (shelf.blurbs.length > 0 && random.chance(0.5)) sentences.push(random.pick(shelf.blurbs));
  return sentences.map((sentence) => capitalise(withArticles(fill(sentence, values)))).join(' ');
}

function fill(sentence: string, values: Record<string, string>): string {
  return sentence.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name]!;
    // Names and authors keep their capitals; "Merino Wool Crew Jumper" reads "merino wool crew jumper" mid-sentence.
    return name === 'material' || name === 'colour' || name === 'noun' ? inSentence(value) : value;
  });
}

/** Lower-cases plain capitalised words, keeping acronyms and model names (USB-C, 4K, MagSafe). */
function inSentence(text: string): string {
  return text.replace(/[^\s-]+/g, (word) => (/^\(?\p{Lu}[\p{Ll}'’]*\)?$/u.test(word) ? word.toLowerCase() : word));
}

/** "A a-line skirt" -> "An a-line skirt", once the words are filled in. */
function withArticles(sentence: string): string {
  return sentence.replace(/\b([Aa]) (?=[aio]|e(?!u)|u(?!s|ni))/g, '$1n ');
}

function capitalise(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
