import { BABY_SIZES, CLOTHING_COLOURS, CLOTHING_SIZES, KIDS_SIZES } from './palettes';
import type { CategoryNode, Family } from './types';

const FITS = { fit: ['Regular', 'Slim', 'Relaxed', 'Oversized'] };

const tees: Family = {
  code: 'TEE',
  nouns: ['Crew Neck T-Shirt', 'V-Neck T-Shirt', 'Piqué Polo Shirt', 'Long Sleeve Top', 'Henley T-Shirt', 'Pocket Tee'],
  adjectives: ['Essential', 'Heavyweight', 'Garment-Dyed', 'Washed', 'Everyday', 'Striped'],
  materials: ['Organic Cotton', 'Supima Cotton', 'Linen Blend', 'Jersey', 'Bamboo'],
  colours: CLOTHING_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [9, 45],
  attributes: FITS,
  blurbs: [
    'A {noun} in soft {material} that keeps its shape wash after wash.',
    'Cut from breathable {material} with a neat, ribbed neckline.',
    'The {colour} {noun} that goes with everything.',
  ],
};

const shirts: Family = {
  code: 'SHI',
  nouns: ['Oxford Shirt', 'Flannel Shirt', 'Poplin Shirt', 'Overshirt', 'Denim Shirt', 'Chambray Shirt'],
  adjectives: ['Button-Down', 'Classic', 'Brushed', 'Easy-Iron', 'Tailored'],
  materials: ['Cotton', 'Linen', 'Cotton Twill', 'Brushed Cotton'],
  colours: CLOTHING_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [25, 95],
  attributes: FITS,
  blurbs: ['A {colour} {noun} in {material}, smart enough for the office.', 'Soft {material} with mother-of-pearl buttons.', 'Made to be worn open over a T-shirt or buttoned up with a tie.'],
};

const knitwear: Family = {
  code: 'KNT',
  nouns: ['Crew Jumper', 'Cardigan', 'Roll Neck Jumper', 'V-Neck Jumper', 'Cable Knit Jumper', 'Half-Zip Sweater'],
  adjectives: ['Chunky', 'Fine-Knit', 'Ribbed', 'Fisherman', 'Lightweight'],
  materials: ['Merino Wool', 'Lambswool', 'Cashmere', 'Alpaca Blend', 'Organic Cotton'],
  colours: CLOTHING_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [39, 240],
  attributes: FITS,
  blurbs: ['A warm {noun} knitted from {material}.', 'Naturally breathable {material} that keeps you warm without the bulk.', 'Hand wash cold and dry flat to keep it at its best.'],
};

const outerwear: Family = {
  code: 'OUT',
  nouns: ['Parka', 'Trench Coat', 'Puffer Jacket', 'Overcoat', 'Rain Jacket', 'Quilted Jacket', 'Bomber Jacket', 'Gilet'],
  adjectives: ['Waterproof', 'Insulated', 'Packable', 'Double-Breasted', 'Hooded', 'Recycled'],
  materials: ['Wool Blend', 'Recycled Polyester', 'Waxed Cotton', 'Gabardine', 'Down'],
  colours: CLOTHING_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [69, 420],
  blurbs: ['A {noun} in {material} built for wind, rain and everything in between.', 'Taped seams, a storm flap and deep pockets.', 'Layers easily over knitwear on cold mornings.'],
};

const trousers: Family = {
  code: 'TRS',
  nouns: ['Chinos', 'Slim Jeans', 'Straight Jeans', 'Cargo Trousers', 'Joggers', 'Pleated Trousers', 'Corduroy Trousers'],
  adjectives: ['Stretch', 'Tapered', 'Wide-Leg', 'Relaxed', 'Vintage Wash'],
  materials: ['Selvedge Denim', 'Cotton Twill', 'Stretch Denim', 'Corduroy', 'Wool Blend'],
  colours: CLOTHING_COLOURS,
  axes: [{ name: 'size', values: ['28', '30', '32', '34', '36', '38'] }],
  price: [35, 160],
  blurbs: ['{material} {noun} with a mid rise and a comfortable leg.', 'Five pockets and a button fly, made to age well.', 'Pair them with trainers or boots.'],
};

const dresses: Family = {
  code: 'DRS',
  nouns: ['Wrap Dress', 'Midi Dress', 'Shirt Dress', 'Slip Dress', 'Maxi Dress', 'Tea Dress', 'Knitted Dress'],
  adjectives: ['Floral', 'Pleated', 'Tiered', 'Belted', 'Smocked', 'Broderie'],
  materials: ['Viscose', 'Linen', 'Crêpe', 'Silk', 'Cotton Poplin'],
  colours: CLOTHING_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [39, 220],
  blurbs: ['A {noun} in fluid {material} that moves as you do.', 'Fully lined, with a hidden side zip.', 'Dress it up with heels or down with sandals.'],
};

const tops: Family = {
  code: 'TOP',
  nouns: ['Blouse', 'Camisole', 'Peplum Top', 'Tunic', 'Bodysuit', 'Shell Top'],
  adjectives: ['Ruffled', 'Sleeveless', 'Puff-Sleeve', 'Embroidered', 'Sheer'],
  materials: ['Silk', 'Crêpe de Chine', 'Cotton Voile', 'Satin', 'Linen'],
  colours: CLOTHING_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [19, 120],
  blurbs: ['A light {noun} in {material}.', 'Easy to tuck into jeans or a skirt.', 'The {colour} shade works from spring to autumn.'],
};

const skirts: Family = {
  code: 'SKT',
  nouns: ['A-Line Skirt', 'Pencil Skirt', 'Pleated Midi Skirt', 'Denim Skirt', 'Wrap Skirt'],
  adjectives: ['High-Waisted', 'Button-Through', 'Satin', 'Tiered'],
  materials: ['Wool Blend', 'Denim', 'Satin', 'Cotton', 'Corduroy'],
  colours: CLOTHING_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [25, 130],
  blurbs: ['A {noun} in {material} with a flattering high waist.', 'It has pockets.', 'Lined and finished with a concealed zip.'],
};

const babywear: Family = {
  code: 'BBY',
  nouns: ['Sleepsuit', 'Bodysuit Set', 'Romper', 'Snowsuit', 'Dungarees', 'Cardigan'],
  adjectives: ['Snuggly', 'Little', 'Printed', 'Organic', 'Cosy'],
  materials: ['Organic Cotton', 'Muslin', 'Fleece', 'Jersey'],
  colours: ['White', 'Sage', 'Oatmeal', 'Pale Yellow', 'Sky Blue', 'Blush Pink'],
  axes: [BABY_SIZES],
  price: [9, 55],
  blurbs: ['A soft {noun} in gentle {material}.', 'Poppers all the way down make changes quick.', 'Tested for sensitive skin.'],
};

const kidswear: Family = {
  code: 'KID',
  nouns: ['Hoodie', 'T-Shirt', 'Joggers', 'Rain Jacket', 'Pyjamas', 'Dungarees', 'Sweatshirt'],
  adjectives: ['Dinosaur', 'Rainbow', 'Glow-in-the-Dark', 'Striped', 'Adventure'],
  materials: ['Cotton', 'Fleece', 'Recycled Polyester', 'Jersey'],
  colours: ['Navy', 'Red', 'Yellow', 'Green', 'Lilac', 'Grey Marl'],
  axes: [KIDS_SIZES],
  price: [8, 60],
  blurbs: ['{noun} made for climbing, running and rolling in the grass.', 'Reinforced knees and a roomy fit to grow into.', 'Machine washable, again and again.'],
};

const hats: Family = {
  code: 'HAT',
  nouns: ['Beanie', 'Baseball Cap', 'Bucket Hat', 'Flat Cap', 'Fedora', 'Bobble Hat'],
  adjectives: ['Ribbed', 'Classic', 'Reversible', 'Embroidered'],
  materials: ['Merino Wool', 'Cotton Canvas', 'Tweed', 'Straw', 'Cashmere'],
  colours: CLOTHING_COLOURS,
  axes: [{ name: 'size', values: ['S/M', 'L/XL'] }],
  price: [12, 80],
  blurbs: ['A {noun} in {material}.', 'One of those pieces you will reach for every day.'],
};

const scarves: Family = {
  code: 'SCF',
  nouns: ['Scarf', 'Snood', 'Gloves', 'Mittens', 'Wrap'],
  adjectives: ['Checked', 'Fringed', 'Oversized', 'Touchscreen', 'Chunky'],
  materials: ['Cashmere', 'Lambswool', 'Silk', 'Leather', 'Alpaca Blend'],
  colours: CLOTHING_COLOURS,
  price: [15, 180],
  blurbs: ['Soft {material} against the skin on cold days.', 'In {colour}, to lift a dark coat.'],
};

const belts: Family = {
  code: 'BLT',
  nouns: ['Leather Belt', 'Braided Belt', 'Reversible Belt', 'Canvas Belt'],
  adjectives: ['Classic', 'Slim', 'Western', 'Italian'],
  materials: ['Full-Grain Leather', 'Suede', 'Cotton Webbing'],
  colours: ['Black', 'Tan', 'Dark Brown', 'Cognac', 'Navy'],
  axes: [{ name: 'size', values: ['80', '85', '90', '95', '100', '105'] }],
  price: [19, 95],
  blurbs: ['{material} with a brushed brass buckle.', 'Cut from a single hide and stitched by hand.'],
};

const bags: Family = {
  code: 'BAG',
  nouns: ['Tote Bag', 'Crossbody Bag', 'Weekender', 'Backpack', 'Messenger Bag', 'Clutch'],
  adjectives: ['Structured', 'Slouchy', 'Mini', 'Roll-Top', 'Vintage'],
  materials: ['Leather', 'Waxed Canvas', 'Recycled Nylon', 'Suede', 'Vegan Leather'],
  colours: ['Black', 'Tan', 'Olive', 'Navy', 'Burgundy', 'Stone'],
  price: [29, 390],
  blurbs: ['A {noun} in {material}, roomy enough for the day’s essentials.', 'Inside: a zip pocket and a key clip.', 'Adjustable strap, carried by hand or over the shoulder.'],
};

export const clothing: CategoryNode = {
  name: 'Clothing',
  brands: ['Northbound', 'Maison Crème', 'Harlow & Finch', 'Élan Atelier', 'Kestrel', 'Fjordline', 'Wild Thyme', 'Oak & Ember'],
  blurbs: ['Machine washable at 30 °C.', 'Free returns within 30 days.', 'Made in Portugal.', 'Responsibly sourced fibres.'],
  children: [
    {
      name: 'Men',
      slug: 'mens-clothing',
      attributes: { department: 'Men' },
      children: [
        { name: 'T-Shirts & Polos', slug: 'mens-t-shirts-polos', family: tees },
        { name: 'Shirts', slug: 'mens-shirts', family: shirts },
        { name: 'Knitwear', slug: 'mens-knitwear', family: knitwear },
        { name: 'Coats & Jackets', slug: 'mens-coats-jackets', family: outerwear },
        { name: 'Trousers & Jeans', slug: 'mens-trousers-jeans', family: trousers },
      ],
    },
    {
      name: 'Women',
      slug: 'womens-clothing',
      attributes: { department: 'Women' },
      children: [
        { name: 'Dresses', family: dresses },
        { name: 'Tops & Blouses', family: tops },
        { name: 'Knitwear', slug: 'womens-knitwear', family: knitwear },
        { name: 'Coats & Jackets', slug: 'womens-coats-jackets', family: outerwear },
        { name: 'Skirts', family: skirts },
      ],
    },
    {
      name: 'Kids',
      slug: 'kids-clothing',
      attributes: { department: 'Kids' },
      brands: ['Little Fjord', 'Pip & Puddle', 'Moonbeam Kids', 'Petit Château'],
      children: [
        { name: 'Baby (0–24 months)', slug: 'babywear', family: babywear },
        { name: 'Boys', slug: 'boys-clothing', family: kidswear },
        { name: 'Girls', slug: 'girls-clothing', family: kidswear },
      ],
    },
    {
      name: 'Accessories',
      slug: 'clothing-accessories',
      children: [
        { name: 'Hats & Caps', family: hats },
        { name: 'Scarves & Gloves', family: scarves },
        { name: 'Belts', family: belts },
        { name: 'Bags', family: bags },
      ],
    },
  ],
};
