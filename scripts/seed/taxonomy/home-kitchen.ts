import { HOME_COLOURS } from './palettes';
import { type CategoryNode, type Family, stepped } from './types';

const PAN_SIZES = stepped('size', ['20cm', '24cm', '26cm', '28cm', '30cm', '32cm'], 0.12);
const BED_SIZES = stepped('size', ['Single', 'Double', 'King', 'Super King'], 0.2);

const pans: Family = {
  code: 'PAN',
  nouns: ['Frying Pan', 'Sauté Pan', 'Griddle Pan', 'Wok', 'Crêpe Pan', 'Skillet'],
  adjectives: ['Non-Stick', 'Professional', 'Induction', 'Pre-Seasoned', 'Tri-Ply'],
  materials: ['Cast Iron', 'Stainless Steel', 'Carbon Steel', 'Hard-Anodised Aluminium', 'Copper'],
  axes: [PAN_SIZES],
  price: [19, 190],
  attributes: { hob: ['All hobs including induction', 'Gas and electric'], dishwasher_safe: ['Yes', 'No'] },
  blurbs: ['A {material} {noun} that heats evenly and sears beautifully.', 'Oven safe up to 260 °C.', 'A riveted handle that stays cool on the hob.'],
};

const pots: Family = {
  code: 'POT',
  nouns: ['Saucepan', 'Stockpot', 'Casserole Dish', 'Dutch Oven', 'Milk Pan', 'Pasta Pot'],
  adjectives: ['Enamelled', 'Lidded', 'Heavy-Based', 'Induction'],
  materials: ['Stainless Steel', 'Enamelled Cast Iron', 'Copper', 'Aluminium'],
  colours: HOME_COLOURS,
  axes: [stepped('capacity', ['1.5L', '2L', '3L', '4.5L', '6L', '8L'], 0.15)],
  price: [25, 350],
  blurbs: ['A {material} {noun} for slow braises, soups and stocks.', 'The tight-fitting lid keeps moisture in.', 'Goes from hob to oven to table.'],
};

const bakeware: Family = {
  code: 'BAK',
  nouns: ['Loaf Tin', 'Springform Cake Tin', 'Muffin Tray', 'Baking Sheet', 'Pie Dish', 'Crème Brûlée Ramekins (Set of 4)', 'Tarte Tatin Dish'],
  adjectives: ['Non-Stick', 'Heavy-Gauge', 'Fluted', 'Professional'],
  materials: ['Carbon Steel', 'Stoneware', 'Porcelain', 'Silicone', 'Glass'],
  price: [7, 65],
  blurbs: ['{noun} in {material} for evenly baked cakes, loaves and tarts.', 'Releases cleanly, washes in seconds.', 'Freezer, oven and dishwasher safe.'],
};

const knives: Family = {
  code: 'KNF',
  nouns: ["Chef's Knife 20cm", 'Santoku Knife 18cm', 'Bread Knife 23cm', 'Paring Knife 9cm', 'Knife Block Set', 'Steak Knives (Set of 6)', 'Cutlery Set (24 Piece)', 'Utility Knife 15cm'],
  adjectives: ['Forged', 'Japanese', 'Professional', 'Damascus', 'Classic'],
  materials: ['Stainless Steel', 'High-Carbon Steel', 'VG-10 Steel', 'German Steel'],
  price: [15, 320],
  attributes: { handle: ['Olive Wood', 'Pakkawood', 'Polymer', 'Walnut'] },
  blurbs: ['{noun} in {material}, honed to a razor edge.', 'Balanced for long prep sessions.', 'Hand wash and dry to keep it sharp.'],
};

const coffeeMakers: Family = {
  code: 'COF',
  nouns: ['Espresso Machine', 'Bean-to-Cup Coffee Machine', 'Cafetière', 'Moka Pot', 'Pour-Over Coffee Maker', 'Burr Coffee Grinder', 'Milk Frother'],
  adjectives: ['Café-Style', 'Compact', 'Barista', 'Manual', 'Programmable'],
  materials: ['Stainless Steel', 'Borosilicate Glass', 'Aluminium', 'Brushed Steel'],
  colours: ['Black', 'Silver', 'Cream', 'Red', 'Sage'],
  price: [19, 899],
  nounPrices: {
    'Espresso Machine': [149, 899],
    'Bean-to-Cup Coffee Machine': [299, 899],
    'Cafetière': [19, 65],
    'Moka Pot': [19, 75],
    'Pour-Over Coffee Maker': [19, 59],
    'Burr Coffee Grinder': [39, 299],
    'Milk Frother': [19, 99],
  },
  attributes: { cups: ['1', '2', '4', '6', '8', '12'] },
  blurbs: ['Café-quality coffee at home from a {noun} in {material}.', 'Brews a rich crema in under a minute.', 'Easy to descale and clean.'],
  brands: ['Café Lumière', 'Brewhaus', 'Moka & Co.', 'Barista Noir', 'Kaffeklubb'],
};

const mugs: Family = {
  code: 'MUG',
  nouns: ['Mug', 'Café au Lait Bowl', 'Espresso Cups (Set of 4)', 'Travel Mug', 'Latte Glasses (Set of 2)', 'Teacup and Saucer'],
  adjectives: ['Speckled', 'Hand-Thrown', 'Double-Walled', 'Reactive Glaze', 'Insulated'],
  materials: ['Stoneware', 'Porcelain', 'Bone China', 'Borosilicate Glass', 'Stainless Steel'],
  colours: HOME_COLOURS,
  price: [6, 48],
  blurbs: ['{noun} in {colour}, for slow mornings.', 'Microwave and dishwasher safe.', 'Every glaze is a little different.'],
};

const tea: Family = {
  code: 'TEA',
  nouns: ['Teapot', 'Tea Infuser', 'Loose Leaf Tea Caddy', 'Matcha Set', 'Kettle', 'Tea Tray'],
  adjectives: ['Japanese', 'Whistling', 'Cast', 'Glass', 'Temperature-Control'],
  materials: ['Cast Iron', 'Porcelain', 'Stainless Steel', 'Bamboo', 'Glass'],
  colours: HOME_COLOURS,
  price: [9, 140],
  blurbs: ['A {material} {noun} for the perfect brew.', 'Holds enough for four cups.', 'A fine mesh keeps the leaves out of your cup.'],
};

const tableware: Family = {
  code: 'TBL',
  nouns: ['Dinner Set (12 Piece)', 'Pasta Bowls (Set of 4)', 'Side Plates (Set of 4)', 'Serving Platter', 'Wine Glasses (Set of 6)', 'Salad Bowl', 'Table Runner'],
  adjectives: ['Rustic', 'Scalloped', 'Hand-Painted', 'Crackle Glaze', 'Minimalist'],
  materials: ['Stoneware', 'Porcelain', 'Crystal Glass', 'Acacia Wood', 'Linen'],
  colours: HOME_COLOURS,
  price: [12, 220],
  blurbs: ['{noun} in {material} for everyday meals and long Sunday lunches.', 'Stacks neatly in the cupboard.', 'Chip-resistant glaze.'],
};

const duvets: Family = {
  code: 'DUV',
  nouns: ['Duvet 10.5 Tog', 'Duvet 4.5 Tog', 'All-Seasons Duvet', 'Pillow (Pair)', 'Mattress Topper', 'Memory Foam Pillow'],
  adjectives: ['Hotel', 'Hypoallergenic', 'Luxury', 'Cooling', 'Anti-Allergy'],
  materials: ['Goose Down', 'Duck Feather', 'Microfibre', 'Wool', 'Silk'],
  axes: [BED_SIZES],
  price: [25, 420],
  blurbs: ['{noun} filled with {material} for deep, even warmth.', 'Box-stitched so the filling stays put.', 'A 100-night sleep trial.'],
};

const linen: Family = {
  code: 'LIN',
  nouns: ['Duvet Cover Set', 'Fitted Sheet', 'Flat Sheet', 'Pillowcases (Pair)', 'Bedspread'],
  adjectives: ['Stonewashed', '400 Thread Count', 'Percale', 'Sateen', 'Waffle'],
  materials: ['Egyptian Cotton', 'French Linen', 'Organic Cotton', 'Brushed Cotton', 'Bamboo'],
  colours: HOME_COLOURS,
  axes: [BED_SIZES],
  price: [15, 280],
  blurbs: ['{material} bedding that gets softer with every wash.', 'Breathable and cool in summer, cosy in winter.', 'Envelope closure, no fiddly buttons.'],
};

const lighting: Family = {
  code: 'LMP',
  nouns: ['Table Lamp', 'Floor Lamp', 'Pendant Light', 'Wall Light', 'Desk Lamp', 'Rechargeable Lantern'],
  adjectives: ['Arched', 'Dimmable', 'Mid-Century', 'Industrial', 'Scandi'],
  materials: ['Brass', 'Rattan', 'Ceramic', 'Oak', 'Opal Glass', 'Linen'],
  colours: HOME_COLOURS,
  price: [25, 480],
  nounPrices: { 'Rechargeable Lantern': [19, 89], 'Wall Light': [29, 180], 'Desk Lamp': [25, 190] },
  attributes: { bulb: ['E27', 'E14', 'GU10', 'Integrated LED'] },
  blurbs: ['A {noun} in {material} that casts a warm, even glow.', 'Bulb not included.', 'A soft light for reading corners and bedside tables.'],
};

const candles: Family = {
  code: 'CND',
  nouns: ['Scented Candle', 'Reed Diffuser', 'Three-Wick Candle', 'Pillar Candles (Set of 3)', 'Room Spray'],
  adjectives: ['Fig & Cassis', 'Sea Salt & Sage', 'Crème Brûlée', 'Vanilla Bourbon', 'Pomelo & Néroli', 'Amber & Oud'],
  materials: ['Soy Wax', 'Coconut Wax', 'Beeswax'],
  price: [9, 75],
  attributes: { burn_time: ['30 hours', '45 hours', '60 hours', '90 hours'] },
  blurbs: ['{noun} hand-poured in {material}.', 'Notes that fill a room without overpowering it.', 'Trim the wick before every burn.'],
};

const cushions: Family = {
  code: 'CSH',
  nouns: ['Cushion Cover', 'Filled Cushion', 'Throw', 'Blanket', 'Floor Cushion', 'Rug'],
  adjectives: ['Bouclé', 'Chunky Knit', 'Tufted', 'Velvet', 'Herringbone', 'Fringed'],
  materials: ['Cotton', 'Velvet', 'Wool', 'Linen', 'Jute'],
  colours: HOME_COLOURS,
  price: [12, 260],
  blurbs: ['A {colour} {noun} to soften a sofa or a bed.', 'Feather-filled insert included where stated.', 'Spot clean or dry clean.'],
};

export const homeKitchen: CategoryNode = {
  name: 'Home & Kitchen',
  brands: ['Hearth & Home', 'Maison Crème', 'Nordlys Kök', 'Copperfield', 'Oak & Ember', 'Kitchenry', 'Atelier Doré', 'Wildwood'],
  blurbs: ['Two-year guarantee.', 'Designed in Copenhagen.', 'Packed without plastic.'],
  children: [
    {
      name: 'Cookware',
      children: [
        { name: 'Frying Pans', family: pans },
        { name: 'Saucepans & Casseroles', family: pots },
        { name: 'Bakeware', family: bakeware },
      ],
    },
    { name: 'Knives & Cutlery', family: knives },
    {
      name: 'Coffee & Tea',
      children: [
        { name: 'Coffee Makers', family: coffeeMakers, alsoIn: ['small-appliances'] },
        { name: 'Mugs & Cups', family: mugs },
        { name: 'Teapots & Kettles', family: tea },
      ],
    },
    { name: 'Tableware', family: tableware },
    {
      name: 'Bedding',
      children: [
        { name: 'Duvets & Pillows', family: duvets },
        { name: 'Bed Linen', family: linen },
      ],
    },
    {
      name: 'Home Décor',
      children: [
        { name: 'Lighting', family: lighting },
        { name: 'Candles & Diffusers', family: candles, alsoIn: ['bath-body'] },
        { name: 'Cushions & Throws', family: cushions },
      ],
    },
  ],
};
