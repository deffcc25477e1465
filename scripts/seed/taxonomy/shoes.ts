import { SHOE_SIZES, SPORT_COLOURS } from './palettes';
import type { CategoryNode, Family } from './types';

const SHOE_COLOURS = ['Black', 'White', 'Tan', 'Dark Brown', 'Navy', 'Grey', 'Burgundy', 'Sand'];
const WIDTHS = { width: ['Standard', 'Wide'] };

const trainers: Family = {
  code: 'TRN',
  nouns: ['Low-Top Trainers', 'High-Top Trainers', 'Court Sneakers', 'Slip-On Trainers', 'Retro Runners'],
  adjectives: ['Classic', 'Minimal', 'Chunky', 'Vegan', 'Vintage'],
  materials: ['Leather', 'Suede', 'Canvas', 'Recycled Knit'],
  colours: SHOE_COLOURS,
  axes: [SHOE_SIZES],
  price: [45, 180],
  blurbs: ['{material} {noun} on a cushioned rubber cupsole.', 'Clean lines that go with jeans or a suit.', 'Removable footbed made from recycled foam.'],
};

const boots: Family = {
  code: 'BOT',
  nouns: ['Chelsea Boots', 'Ankle Boots', 'Lace-Up Boots', 'Desert Boots', 'Knee-High Boots'],
  adjectives: ['Goodyear-Welted', 'Heeled', 'Lug-Sole', 'Pull-On', 'Weatherproof'],
  materials: ['Leather', 'Suede', 'Nubuck', 'Waxed Leather'],
  colours: SHOE_COLOURS,
  axes: [SHOE_SIZES],
  price: [79, 320],
  attributes: WIDTHS,
  blurbs: ['{noun} in {material} that soften with every wear.', 'Resoleable, so they last for years.', 'Elastic gussets for easy on and off.'],
};

const walkingBoots: Family = {
  code: 'WLK',
  nouns: ['Walking Boots', 'Hiking Boots', 'Mid Hiking Shoes', 'Approach Shoes'],
  adjectives: ['Waterproof', 'Lightweight', 'All-Terrain', 'Insulated'],
  materials: ['Nubuck', 'Suede and Mesh', 'Full-Grain Leather'],
  colours: ['Brown', 'Khaki', 'Grey', 'Black', 'Forest Green'],
  axes: [SHOE_SIZES],
  price: [69, 260],
  attributes: { ...WIDTHS, waterproof: ['Yes'] },
  blurbs: ['{noun} with a waterproof membrane and a grippy lugged sole.', 'Ankle support for rocky paths and long days.', 'Broken in from the first mile.'],
};

const runningShoes: Family = {
  code: 'RUN',
  nouns: ['Road Running Shoes', 'Racing Flats', 'Daily Trainers', 'Tempo Shoes', 'Stability Running Shoes'],
  adjectives: ['Carbon-Plated', 'Cushioned', 'Responsive', 'Featherweight'],
  materials: ['Engineered Mesh', 'Recycled Knit'],
  colours: SPORT_COLOURS,
  axes: [SHOE_SIZES],
  price: [59, 240],
  attributes: { drop: ['4 mm', '6 mm', '8 mm', '10 mm'] },
  blurbs: ['{noun} with a springy foam midsole for easy miles and race day.', 'A breathable {material} upper that hugs the foot.', 'Reflective details for early mornings.'],
};

const trailShoes: Family = {
  code: 'TRL',
  nouns: ['Trail Running Shoes', 'Fell Shoes', 'Mountain Runners'],
  adjectives: ['Waterproof', 'Aggressive-Grip', 'Rock-Plated', 'Ultra'],
  materials: ['Ripstop Mesh', 'Engineered Mesh'],
  colours: SPORT_COLOURS,
  axes: [SHOE_SIZES],
  price: [79, 210],
  attributes: { drop: ['4 mm', '6 mm', '8 mm'] },
  blurbs: ['{noun} with 5 mm lugs for mud, scree and wet roots.', 'A rock plate under the forefoot protects on technical ground.', 'Drains fast after river crossings.'],
};

const sandals: Family = {
  code: 'SND',
  nouns: ['Sliders', 'Espadrilles', 'Strappy Sandals', 'Walking Sandals', 'Flip-Flops', 'Mules'],
  adjectives: ['Cork-Footbed', 'Woven', 'Platform', 'Adjustable'],
  materials: ['Leather', 'Raffia', 'Recycled Rubber', 'Suede'],
  colours: SHOE_COLOURS,
  axes: [SHOE_SIZES],
  price: [15, 140],
  blurbs: ['{material} {noun} for long summer days.', 'A moulded footbed that supports the arch.'],
};

const formal: Family = {
  code: 'FRM',
  nouns: ['Oxford Shoes', 'Derby Shoes', 'Brogues', 'Loafers', 'Monk Strap Shoes', 'Court Shoes'],
  adjectives: ['Hand-Burnished', 'Patent', 'Penny', 'Wingtip', 'Blake-Stitched'],
  materials: ['Calf Leather', 'Suede', 'Patent Leather', 'Cordovan'],
  colours: ['Black', 'Dark Brown', 'Tan', 'Oxblood', 'Navy'],
  axes: [SHOE_SIZES],
  price: [89, 450],
  attributes: WIDTHS,
  blurbs: ['{noun} made in Spain from {material}.', 'Leather-lined, with a stacked heel.', 'Polish and they look new for a decade.'],
};

const slippers: Family = {
  code: 'SLP',
  nouns: ['Moccasin Slippers', 'Mule Slippers', 'Boot Slippers', 'Felt Slippers'],
  adjectives: ['Sheepskin-Lined', 'Memory Foam', 'Cosy', 'Knitted'],
  materials: ['Sheepskin', 'Boiled Wool', 'Suede', 'Faux Fur'],
  colours: ['Grey', 'Chestnut', 'Cream', 'Navy', 'Burgundy'],
  axes: [SHOE_SIZES],
  price: [19, 110],
  blurbs: ['{material} {noun} with a hard-wearing sole for trips to the letterbox.', 'Warm feet all winter.'],
};

export const shoes: CategoryNode = {
  name: 'Shoes',
  brands: ['Søndergaard', 'Cobble & Last', 'Stride Lab', 'Alpenrose', 'Maison Pavé', 'Trailhawk', 'Barefoot Co.'],
  blurbs: ['Free exchanges if the size is not right.', 'Between two sizes, go half a size up.'],
  children: [
    { name: 'Trainers', family: trainers },
    {
      name: 'Boots',
      children: [
        { name: 'Chelsea & Ankle Boots', family: boots },
        { name: 'Walking Boots', family: walkingBoots, alsoIn: ['camping-hiking'] },
      ],
    },
    {
      name: 'Running Shoes',
      children: [
        { name: 'Road Running', family: runningShoes, alsoIn: ['running'] },
        { name: 'Trail Running', family: trailShoes, alsoIn: ['running'] },
      ],
    },
    { name: 'Sandals', family: sandals },
    { name: 'Formal Shoes', family: formal },
    { name: 'Slippers', family: slippers },
  ],
};
