import { CLOTHING_SIZES, SPORT_COLOURS } from './palettes';
import { type CategoryNode, type Family, stepped } from './types';

const runningGear: Family = {
  code: 'RNG',
  nouns: ['Running Tights', 'Running Shorts', 'Running Vest', 'Running Jacket', 'Hydration Vest', 'Running Cap', 'Running Socks (3 Pack)'],
  adjectives: ['Lightweight', 'Reflective', 'Thermal', 'Seamless', 'Windproof'],
  materials: ['Recycled Polyester', 'Merino Wool', 'Nylon Ripstop', 'Elastane Blend'],
  colours: SPORT_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [12, 160],
  blurbs: ['{noun} in quick-drying {material}.', 'Flatlock seams stop rubbing on long runs.', 'A zipped pocket holds keys and gels.'],
};

const helmets: Family = {
  code: 'HLM',
  nouns: ['Road Cycling Helmet', 'Commuter Helmet', 'Mountain Bike Helmet', 'Kids Bike Helmet'],
  adjectives: ['MIPS', 'Aero', 'Ventilated', 'Folding'],
  colours: SPORT_COLOURS,
  axes: [{ name: 'size', values: ['S', 'M', 'L'] }],
  price: [29, 260],
  blurbs: ['A {noun} with rotational impact protection.', 'Eighteen vents keep your head cool on climbs.', 'A dial at the back for a snug fit.'],
};

const bikeLights: Family = {
  code: 'BKL',
  nouns: ['Front Bike Light', 'Rear Bike Light', 'Bike Light Set', 'Bike Lock', 'Mini Pump', 'Multi-Tool', 'Bike Computer'],
  adjectives: ['USB-Rechargeable', 'High-Visibility', 'Compact', 'Smart'],
  price: [9, 290],
  nounPrices: { 'Bike Computer': [89, 290], 'Mini Pump': [9, 45], 'Multi-Tool': [9, 49], 'Rear Bike Light': [9, 59] },
  attributes: { brightness: ['100 lumens', '400 lumens', '800 lumens', '1200 lumens'] },
  blurbs: ['A {noun} for commutes, club rides and weekend loops.', 'Clips on and off without tools.', 'Charges over USB-C in two hours.'],
};

const cyclingClothing: Family = {
  code: 'CYC',
  nouns: ['Cycling Jersey', 'Bib Shorts', 'Cycling Gilet', 'Cycling Gloves', 'Winter Cycling Jacket', 'Arm Warmers'],
  adjectives: ['Aero', 'Thermal', 'Lightweight', 'Packable', 'Race-Fit'],
  materials: ['Recycled Polyester', 'Merino Wool', 'Lycra', 'Softshell'],
  colours: SPORT_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [19, 240],
  blurbs: ['{noun} in {material} for long days in the saddle.', 'Three rear pockets and silicone grippers.', 'Made in Italy.'],
};

const tents: Family = {
  code: 'TNT',
  nouns: ['Backpacking Tent', 'Family Tent', 'Tunnel Tent', 'Pop-Up Tent', 'Bivvy Shelter', 'Tarp'],
  adjectives: ['Ultralight', 'Four-Season', 'Freestanding', 'Storm-Proof'],
  colours: ['Green', 'Orange', 'Sand', 'Grey'],
  axes: [stepped('capacity', ['1 person', '2 person', '3 person', '4 person', '6 person'], 0.3)],
  price: [49, 799],
  nounPrices: { Tarp: [29, 89], 'Bivvy Shelter': [59, 199], 'Pop-Up Tent': [39, 149], 'Family Tent': [199, 799] },
  attributes: { season: ['3-season', '4-season'] },
  blurbs: ['A {noun} that pitches in five minutes, even in the rain.', 'Two doors and porches for boots and packs.', 'Taped seams and a 3000 mm hydrostatic head.'],
};

const backpacks: Family = {
  code: 'BPK',
  nouns: ['Hiking Backpack', 'Daypack', 'Trekking Rucksack', 'Dry Bag', 'Hip Pack'],
  adjectives: ['Ventilated', 'Lightweight', 'Roll-Top', 'Waterproof', 'Adjustable'],
  materials: ['Ripstop Nylon', 'Recycled Polyester', 'Cordura', 'Waxed Canvas'],
  colours: SPORT_COLOURS,
  axes: [stepped('capacity', ['10L', '20L', '30L', '45L', '65L'], 0.2)],
  price: [19, 299],
  blurbs: ['A {material} {noun} that carries comfortably all day.', 'A ventilated back panel and padded hip belt.', 'Rain cover in the bottom pocket.'],
};

const sleepingBags: Family = {
  code: 'SLB',
  nouns: ['Mummy Sleeping Bag', 'Rectangular Sleeping Bag', 'Sleeping Mat', 'Camping Pillow', 'Sleeping Bag Liner'],
  adjectives: ['Three-Season', 'Compact', 'Self-Inflating', 'Ultralight'],
  materials: ['Duck Down', 'Synthetic Fill', 'Silk', 'Polyester'],
  price: [15, 450],
  nounPrices: { 'Camping Pillow': [15, 39], 'Sleeping Bag Liner': [15, 69] },
  attributes: { comfort_rating: ['+10 °C', '+5 °C', '0 °C', '-5 °C', '-10 °C'] },
  blurbs: ['A {noun} filled with {material}.', 'Packs down to the size of a water bottle.', 'A draught collar keeps the warmth in.'],
};

const yoga: Family = {
  code: 'YGA',
  nouns: ['Yoga Mat', 'Yoga Block (Pair)', 'Yoga Strap', 'Meditation Cushion', 'Yoga Leggings', 'Pilates Ball'],
  adjectives: ['Non-Slip', 'Eco', 'Travel', 'Extra-Thick', 'Cork'],
  materials: ['Natural Rubber', 'Cork', 'TPE', 'Organic Cotton'],
  colours: ['Sage', 'Lavender', 'Charcoal', 'Terracotta', 'Ocean Blue', 'Sand'],
  price: [9, 129],
  blurbs: ['{noun} in {material} for a steady practice.', 'Light to carry to class.', 'Wipes clean with a damp cloth.'],
};

const weights: Family = {
  code: 'WGT',
  nouns: ['Dumbbells (Pair)', 'Kettlebell', 'Resistance Bands (Set of 5)', 'Adjustable Dumbbell', 'Weight Plates', 'Pull-Up Bar'],
  adjectives: ['Hex', 'Neoprene', 'Competition', 'Cast Iron', 'Home Gym'],
  axes: [stepped('weight', ['2kg', '4kg', '6kg', '8kg', '12kg', '16kg'], 0.35)],
  price: [12, 389],
  nounPrices: { 'Resistance Bands (Set of 5)': [12, 39], 'Pull-Up Bar': [19, 69], 'Adjustable Dumbbell': [99, 389] },
  blurbs: ['{noun} for strength work at home.', 'A knurled grip that does not slip with sweat.', 'Rubber coating protects your floor.'],
};

const swimwear: Family = {
  code: 'SWM',
  nouns: ['Swimsuit', 'Swim Shorts', 'Jammers', 'Swim Goggles', 'Swim Cap', 'Wetsuit'],
  adjectives: ['Chlorine-Resistant', 'Racerback', 'Anti-Fog', 'Thermal', 'Quick-Dry'],
  materials: ['Recycled Nylon', 'Polyester', 'Silicone', 'Neoprene'],
  colours: SPORT_COLOURS,
  axes: [CLOTHING_SIZES],
  price: [9, 349],
  nounPrices: { 'Swim Goggles': [9, 39], 'Swim Cap': [5, 19], Wetsuit: [99, 349] },
  blurbs: ['{noun} made from {material} that lasts season after season.', 'Built for lengths in the pool and swims in the sea.'],
};

export const sports: CategoryNode = {
  name: 'Sports & Outdoors',
  brands: ['Trailhawk', 'Alpenrose', 'Peak & Pine', 'Velocita', 'Fjällsten Outdoor', 'Summit Supply', 'Tidewater', 'Ironclad'],
  blurbs: ['Tested by our team in the Alps.', 'Lifetime repair service.', 'Bluesign-approved fabrics.'],
  children: [
    { name: 'Running', family: runningGear },
    {
      name: 'Cycling',
      children: [
        { name: 'Helmets', family: helmets },
        { name: 'Bike Lights & Accessories', family: bikeLights },
        { name: 'Cycling Clothing', family: cyclingClothing },
      ],
    },
    {
      name: 'Camping & Hiking',
      children: [
        { name: 'Tents', family: tents },
        { name: 'Backpacks', family: backpacks },
        { name: 'Sleeping Bags & Mats', family: sleepingBags },
      ],
    },
    {
      name: 'Fitness',
      children: [
        { name: 'Yoga & Pilates', family: yoga },
        { name: 'Weights', family: weights },
      ],
    },
    { name: 'Swimming', family: swimwear },
  ],
};
