/**
 * A small, fixed catalogue for the search conformance tests: 30 products over a three-level
 * category tree, four brands, colour/size/material attributes, prices in every PRICE_RANGES
 * bucket (with equal prices, to pin the tie-break) and one product per day (product 30 newest).
 *
 * Names and brands are chosen so that the typo and prefix cases have one right answer under
 * both engines: nothing else is within two edits (or a trigram likeness) of "jacket", "wool",
 * "cafe" or "nordkap", and colours live in attributes only, never in names or descriptions.
 */
import type { SearchDocument } from '../src/search/search-backend';

const CATEGORY_PARENTS = {
  clothing: null,
  tops: 'clothing',
  shirts: 'tops',
  knitwear: 'tops',
  outerwear: 'clothing',
  jackets: 'outerwear',
  coats: 'outerwear',
  home: null,
  kitchen: 'home',
  tableware: 'kitchen',
  textiles: 'home',
  blankets: 'textiles',
  accessories: null,
  headwear: 'accessories',
  hats: 'headwear',
} as const;

type CategoryKey = keyof typeof CATEGORY_PARENTS;

const uuid = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Category ids by name. */
export const C = Object.fromEntries(Object.keys(CATEGORY_PARENTS).map((key, i) => [key, uuid('c', i + 1)])) as Record<CategoryKey, string>;

function withAncestors(key: CategoryKey): string[] {
  const parent: CategoryKey | null = CATEGORY_PARENTS[key];
  return [C[key], ...(parent ? withAncestors(parent) : [])];
}

type Spec = [name: string, brand: string, categories: CategoryKey[], attributes: Record<string, string>, price: number, description: string];

const PRODUCTS = {
  oxfordShirt: ['Oxford Shirt', 'Halden', ['shirts'], { colour: 'blue', size: 'M', material: 'cotton' }, 3900, 'A button-down for the office.'],
  linenShirt: ['Linen Shirt', 'Ostra', ['shirts'], { colour: 'white', size: 'L', material: 'linen' }, 4500, 'Light and airy for summer.'],
  flannelShirt: ['Flannel Shirt', 'Halden', ['shirts'], { colour: 'red', size: 'M', material: 'cotton' }, 2900, 'Brushed for warmth.'],
  denimShirt: ['Denim Shirt', 'Brisa', ['shirts'], { colour: 'blue', size: 'S', material: 'cotton' }, 5500, 'Washed for softness.'],
  merinoSweater: ['Merino Sweater', 'Nordkap', ['knitwear'], { colour: 'grey', size: 'M', material: 'wool' }, 8900, 'Fine merino wool, for cold days.'],
  cableCardigan: ['Cable Cardigan', 'Ostra', ['knitwear'], { colour: 'green', size: 'L', material: 'wool' }, 12500, 'Chunky cables, horn buttons.'],
  woolBeanie: ['Wool Beanie', 'Nordkap', ['hats'], { colour: 'red', material: 'wool' }, 1900, 'Ribbed, with a turn-up.'],
  cottonHoodie: ['Cotton Hoodie', 'Brisa', ['knitwear'], { colour: 'grey', size: 'L', material: 'cotton' }, 4900, 'Loopback fleece.'],
  leatherJacket: ['Leather Jacket', 'Halden', ['jackets'], { colour: 'black', size: 'M', material: 'leather' }, 29900, 'A classic biker jacket.'],
  rainJacket: ['Rain Jacket', 'Nordkap', ['jackets'], { colour: 'blue', size: 'L', material: 'nylon' }, 14900, 'Taped seams, packs small.'],
  downJacket: ['Down Jacket', 'Nordkap', ['jackets'], { colour: 'black', size: 'M', material: 'down' }, 24900, 'Warm to minus twenty.'],
  denimJacket: ['Denim Jacket', 'Brisa', ['jackets'], { colour: 'blue', size: 'S', material: 'cotton' }, 8900, 'Stonewashed trucker style.'],
  trenchCoat: ['Trench Coat', 'Ostra', ['coats'], { colour: 'beige', size: 'M', material: 'cotton' }, 31900, 'Double-breasted gabardine.'],
  woolOvercoat: ['Wool Overcoat', 'Halden', ['coats'], { colour: 'grey', size: 'L', material: 'wool' }, 45000, 'Tailored, knee length.'],
  parka: ['Parka', 'Nordkap', ['coats'], { colour: 'green', size: 'M', material: 'nylon' }, 27900, 'Fur-free hood.'],
  cafeMug: ['Café Mug', 'Ostra', ['tableware'], { colour: 'white', material: 'ceramic' }, 1200, 'Holds a large latte.'],
  espressoCups: ['Espresso Cups', 'Brisa', ['tableware'], { colour: 'black', material: 'ceramic' }, 2400, 'A set of four.'],
  dinnerPlate: ['Dinner Plate', 'Ostra', ['tableware'], { colour: 'white', material: 'ceramic' }, 1500, 'Stoneware, dishwasher safe.'],
  chefKnife: ['Chef Knife', 'Halden', ['kitchen'], { material: 'steel' }, 6900, 'Forged, twenty centimetres.'],
  cuttingBoard: ['Cutting Board', 'Brisa', ['kitchen'], { material: 'oak' }, 3500, 'End grain.'],
  throwBlanket: ['Throw Blanket', 'Nordkap', ['blankets'], { colour: 'grey', material: 'wool' }, 7900, 'Herringbone weave.'],
  cottonQuilt: ['Cotton Quilt', 'Ostra', ['blankets'], { colour: 'white', material: 'cotton' }, 18900, 'Hand stitched.'],
  linenCushion: ['Linen Cushion', 'Halden', ['textiles'], { colour: 'green', material: 'linen' }, 2200, 'Feather filled.'],
  sunHat: ['Sun Hat', 'Brisa', ['hats'], { colour: 'white', material: 'straw' }, 2500, 'Wide brim.'],
  knitScarf: ['Knit Scarf', 'Nordkap', ['accessories', 'knitwear'], { colour: 'red', material: 'wool' }, 3200, 'Long and soft.'],
  leatherBelt: ['Leather Belt', 'Halden', ['accessories'], { colour: 'black', material: 'leather' }, 4900, 'Brass buckle.'],
  canvasTote: ['Canvas Tote', 'Ostra', ['accessories'], { colour: 'blue', material: 'canvas' }, 900, 'Carries a laptop.'],
  hikingSocks: ['Hiking Socks', 'Nordkap', ['clothing'], { colour: 'grey', size: 'M', material: 'wool' }, 800, 'Cushioned sole.'],
  teaTowel: ['Tea Towel', 'Ostra', ['textiles'], { colour: 'red', material: 'linen' }, 600, 'Absorbent weave.'],
  silkTie: ['Silk Tie', 'Halden', ['accessories'], { colour: 'blue', material: 'silk' }, 2500, 'Hand rolled edges.'],
} satisfies Record<string, Spec>;

export type ProductKey = keyof typeof PRODUCTS;

/** Product ids by name; ids ascend in catalogue order, which is also the order of creation. */
export const P = Object.fromEntries(Object.keys(PRODUCTS).map((key, i) => [key, uuid('0', i + 1)])) as Record<ProductKey, string>;

export function ids(...keys: ProductKey[]): string[] {
  return keys.map((key) => P[key]);
}

const FIRST_DAY = Date.UTC(2026, 0, 1, 9, 0, 0);

/** Ratings of published reviews, [average, count]: two equal averages (count breaks the tie), the rest unrated. */
const RATINGS: Partial<Record<ProductKey, [number, number]>> = {
  merinoSweater: [4.8, 12],
  cafeMug: [4.8, 30],
  woolBeanie: [4.2, 7],
  rainJacket: [3.5, 4],
  parka: [4.19, 3],
};

/** Names and descriptions in other languages than the default (English). */
const TRANSLATIONS: Partial<Record<ProductKey, SearchDocument['translations']>> = {
  knitScarf: { fr: { name: 'Écharpe tricotée', description: 'Longue et douce.' }, de: { name: 'Strickschal', description: 'Lang und weich.' } },
  cafeMug: { fr: { name: 'Tasse à café', description: 'Pour un grand crème.' } },
};

/** Product n (from 1) was created n days after FIRST_DAY, at 09:00 UTC. */
export const CATALOGUE: SearchDocument[] = (Object.entries(PRODUCTS) as Array<[ProductKey, Spec]>).map(
  ([key, [name, brand, categories, attributes, price, description]], i) => ({
    id: P[key],
    name,
    description,
    brand,
    categoryIds: [...new Set(categories.flatMap(withAncestors))].sort(),
    directCategoryIds: categories.map((category) => C[category]).sort(),
    attrs: Object.entries(attributes).map(([attribute, value]) => `${attribute}=${value}`).sort(),
    price,
    currency: 'EUR',
    image: `https://img.example.com/${key}.jpg`,
    version: 1,
    createdAt: new Date(FIRST_DAY + (i + 1) * 86_400_000).toISOString(),
    ratingAverage: RATINGS[key]?.[0] ?? 0,
    ratingCount: RATINGS[key]?.[1] ?? 0,
    ...(TRANSLATIONS[key] ? { translations: TRANSLATIONS[key] } : {}),
  }),
);

export function document(key: ProductKey): SearchDocument {
  return CATALOGUE.find((d) => d.id === P[key])!;
}
