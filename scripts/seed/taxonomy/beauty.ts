import { type CategoryNode, type Family, stepped } from './types';

const VOLUMES = stepped('volume', ['15ml', '30ml', '50ml', '100ml', '200ml'], 0.45);
const SKIN_TYPES = { skin_type: ['All skin types', 'Dry', 'Oily', 'Combination', 'Sensitive'] };
const SHADES = { name: 'shade', values: ['Porcelain', 'Ivory', 'Beige', 'Sand', 'Caramel', 'Espresso'] };

const cleansers: Family = {
  code: 'CLN',
  nouns: ['Cleansing Balm', 'Foaming Cleanser', 'Micellar Water', 'Cleansing Oil', 'Exfoliating Toner', 'Eau Fraîche Toner'],
  adjectives: ['Gentle', 'Purifying', 'Hydrating', 'Brightening', 'Calming'],
  materials: ['Oat', 'Green Tea', 'Rose Water', 'Charcoal', 'Chamomile'],
  materialAttribute: 'key_ingredient',
  axes: [VOLUMES],
  price: [6, 45],
  attributes: SKIN_TYPES,
  blurbs: ['A {noun} with {material} that lifts make-up without stripping the skin.', 'Rinses clean, no tight feeling.', 'Fragrance-free and dermatologically tested.'],
};

const moisturisers: Family = {
  code: 'MST',
  nouns: ['Crème Riche Moisturiser', 'Day Cream SPF 30', 'Night Cream', 'Gel Moisturiser', 'Eye Cream', 'Crème Hydratante'],
  adjectives: ['Barrier-Repair', 'Rich', 'Lightweight', 'Firming', 'Soothing'],
  materials: ['Shea Butter', 'Ceramides', 'Squalane', 'Hyaluronic Acid', 'Aloe Vera'],
  materialAttribute: 'key_ingredient',
  axes: [VOLUMES],
  price: [9, 120],
  attributes: SKIN_TYPES,
  blurbs: ['A {noun} with {material} for soft, comfortable skin.', 'Sinks in fast and sits well under make-up.', 'Vegan and cruelty-free.'],
};

const serums: Family = {
  code: 'SRM',
  nouns: ['Vitamin C Serum', 'Retinol Serum', 'Niacinamide Serum', 'Face Oil', 'Peptide Serum', 'Hyaluronic Serum'],
  adjectives: ['Brightening', 'Overnight', 'Concentrated', 'Plumping', 'Gentle'],
  materials: ['Rosehip', 'Squalane', 'Bakuchiol', 'Vitamin E'],
  materialAttribute: 'key_ingredient',
  axes: [stepped('volume', ['15ml', '30ml', '50ml'], 0.5)],
  price: [12, 140],
  attributes: SKIN_TYPES,
  blurbs: ['A {noun} with {material} that evens out tone over four weeks.', 'Three drops morning and night.', 'In a UV-protective glass bottle.'],
};

const lips: Family = {
  code: 'LIP',
  nouns: ['Lipstick', 'Lip Gloss', 'Lip Liner', 'Tinted Lip Balm', 'Liquid Lipstick'],
  adjectives: ['Satin', 'Matte', 'Sheer', 'Long-Wear', 'Velvet'],
  axes: [{ name: 'shade', values: ['Rosé', 'Nude', 'Berry', 'Coral', 'Cherry', 'Mauve'] }],
  price: [6, 45],
  blurbs: ['A {noun} with rich colour in one swipe.', 'Stays put through coffee and lunch.'],
};

const eyes: Family = {
  code: 'EYE',
  nouns: ['Mascara', 'Eyeliner', 'Eyeshadow Palette', 'Brow Pencil', 'Brow Gel'],
  adjectives: ['Volumising', 'Waterproof', 'Smudge-Proof', 'Lengthening', 'Precision'],
  axes: [{ name: 'shade', values: ['Black', 'Brown', 'Taupe', 'Bronze', 'Plum'] }],
  price: [6, 58],
  blurbs: ['A {noun} for definition that lasts all day.', 'Ophthalmologist tested.'],
};

const face: Family = {
  code: 'FCE',
  nouns: ['Foundation', 'Concealer', 'Tinted Moisturiser', 'Bronzer', 'Blusher', 'Setting Powder', 'Highlighter'],
  adjectives: ['Luminous', 'Matte', 'Buildable', 'Skin-Like', 'Radiant'],
  axes: [SHADES],
  price: [8, 62],
  blurbs: ['A {noun} with a natural, second-skin finish.', 'Medium, buildable coverage.', 'Non-comedogenic.'],
};

const haircare: Family = {
  code: 'HAR',
  nouns: ['Shampoo', 'Conditioner', 'Hair Mask', 'Hair Oil', 'Dry Shampoo', 'Leave-In Conditioner', 'Styling Cream'],
  adjectives: ['Repairing', 'Volumising', 'Curl-Defining', 'Clarifying', 'Smoothing'],
  materials: ['Argan Oil', 'Keratin', 'Coconut', 'Rosemary', 'Biotin'],
  materialAttribute: 'key_ingredient',
  axes: [VOLUMES],
  price: [5, 42],
  attributes: { hair_type: ['All hair types', 'Curly', 'Fine', 'Coloured', 'Thick'] },
  blurbs: ['A {noun} with {material} for shiny, healthy-looking hair.', 'Salon results at home.', 'Free from sulphates and silicones.'],
};

const fragrance: Family = {
  code: 'FRG',
  nouns: ['Eau de Parfum', 'Eau de Toilette', 'Eau de Cologne', 'Perfume Oil', 'Body Mist'],
  adjectives: ['Néroli & Bergamot', 'Oud & Rose', 'Fleur de Sel', 'Vétiver', 'Ambre Doré', 'Fig & Cedar', 'Crème de Vanille'],
  axes: [stepped('volume', ['10ml', '30ml', '50ml', '100ml'], 0.6)],
  price: [15, 260],
  attributes: { scent_family: ['Floral', 'Woody', 'Citrus', 'Oriental', 'Fresh'] },
  blurbs: ['A {noun} that opens bright and settles warm on the skin.', 'Top notes of bergamot, a heart of jasmine, a base of musk.', 'Made in Grasse.'],
};

const bathBody: Family = {
  code: 'BTH',
  nouns: ['Body Wash', 'Body Lotion', 'Hand Cream', 'Bath Salts', 'Body Scrub', 'Soap Bar (Set of 3)', 'Bath Oil'],
  adjectives: ['Nourishing', 'Uplifting', 'Relaxing', 'Exfoliating'],
  materials: ['Lavender', 'Sea Salt', 'Shea Butter', 'Eucalyptus', 'Crème de Coco'],
  materialAttribute: 'key_ingredient',
  axes: [VOLUMES],
  price: [5, 48],
  blurbs: ['{noun} with {material} for soft, comforting skin.', 'A spa evening in your own bathroom.', 'Refills available.'],
};

export const beauty: CategoryNode = {
  name: 'Beauty',
  brands: ['Maison Crème', 'Éclat', 'Glow Theory', 'Botanica Nord', 'Pure Ritual', 'Rosée', 'Skinfolk', 'Belle Île'],
  blurbs: ['Not tested on animals.', 'Recyclable packaging.', 'Formulated in France.'],
  children: [
    {
      name: 'Skincare',
      children: [
        { name: 'Cleansers & Toners', family: cleansers },
        { name: 'Moisturisers', family: moisturisers },
        { name: 'Serums & Oils', family: serums },
      ],
    },
    {
      name: 'Makeup',
      children: [
        { name: 'Lips', family: lips },
        { name: 'Eyes', family: eyes },
        { name: 'Face', slug: 'face-makeup', family: face },
      ],
    },
    { name: 'Haircare', family: haircare },
    { name: 'Fragrance', family: fragrance },
    { name: 'Bath & Body', family: bathBody },
  ],
};
