import { type CategoryNode, type Family, stepped } from './types';

const AGES = { age: ['0+', '3+', '5+', '8+', '12+', '14+'] };
const TOY_COLOURS = ['Multicolour', 'Red', 'Blue', 'Yellow', 'Green', 'Pastel'];

const building: Family = {
  code: 'BLD',
  nouns: ['Castle Building Set', 'Space Station Kit', 'Marble Run', 'Magnetic Tiles (60 Pieces)', 'Train Set', 'Wooden Blocks (100 Pieces)', 'Robot Construction Kit'],
  adjectives: ['Deluxe', 'Starter', 'Creative', 'Classic', 'Motorised'],
  price: [9, 189],
  nounPrices: { 'Train Set': [39, 189], 'Robot Construction Kit': [49, 189] },
  attributes: { ...AGES, pieces: ['60', '120', '250', '500', '1200'] },
  blurbs: ['{noun} for hours of building, knocking down and building again.', 'Compatible with the sets you already have.', 'Instructions for three different models in the box.'],
};

const dolls: Family = {
  code: 'DOL',
  nouns: ['Rag Doll', 'Doll’s House', 'Action Figure', 'Soft Toy Bear', 'Plush Dinosaur', 'Puppet Theatre', 'Play Kitchen'],
  adjectives: ['Handmade', 'Cuddly', 'Poseable', 'Wooden', 'Vintage-Style'],
  colours: TOY_COLOURS,
  price: [8, 249],
  nounPrices: { 'Doll’s House': [59, 249], 'Play Kitchen': [69, 249], 'Puppet Theatre': [29, 99], 'Rag Doll': [12, 45] },
  attributes: AGES,
  blurbs: ['A {noun} that will be loved for years.', 'Safety tested to EN 71.', 'Surface washable.'],
};

const boardGames: Family = {
  code: 'BRD',
  nouns: ['Strategy Board Game', 'Family Quiz Game', 'Cooperative Adventure Game', 'Card Game', 'Chess Set', 'Word Game'],
  adjectives: ['Pocket', 'Deluxe', 'Classic', 'Party', 'Travel'],
  price: [9, 89],
  attributes: { players: ['1-4', '2', '2-4', '2-6', '3-8'], playing_time: ['15 min', '30 min', '60 min', '90 min'], ...AGES },
  blurbs: ['A {noun} for game night that everyone can learn in ten minutes.', 'Every game plays differently.', 'A winner of the Spiel des Jahres shortlist.'],
};

const puzzles: Family = {
  code: 'PZL',
  nouns: ['Café de Flore Jigsaw Puzzle', 'Alpine Lake Jigsaw Puzzle', 'World Map Jigsaw Puzzle', 'Vintage Poster Jigsaw Puzzle', 'Château de Chambord 3D Puzzle'],
  adjectives: ['Family', 'Panoramic', 'Challenging'],
  axes: [stepped('pieces', ['300 pieces', '500 pieces', '1000 pieces', '1500 pieces', '2000 pieces'], 0.25)],
  price: [9, 45],
  attributes: AGES,
  blurbs: ['Thick, snug-fitting pieces that click firmly together.', 'Printed on recycled board.', 'A poster of the picture in the box.'],
};

const outdoorToys: Family = {
  code: 'ODT',
  nouns: ['Balance Bike', 'Scooter', 'Swing Seat', 'Paddling Pool', 'Kite', 'Garden Football Goal', 'Water Pistol'],
  adjectives: ['Foldable', 'Adjustable', 'Giant', 'Stunt', 'Light-Up'],
  colours: TOY_COLOURS,
  price: [7, 219],
  nounPrices: { 'Water Pistol': [5, 19], Kite: [9, 45], 'Balance Bike': [59, 219], 'Garden Football Goal': [25, 129] },
  attributes: AGES,
  blurbs: ['A {noun} that gets them outside.', 'Tough enough for the park, the beach and the garden.', 'No assembly needed.'],
};

const babyToys: Family = {
  code: 'BTY',
  nouns: ['Activity Gym', 'Stacking Rings', 'Shape Sorter', 'Rattle', 'Teething Ring', 'Pull-Along Dog', 'Bath Toys (Set of 6)'],
  adjectives: ['Sensory', 'Wooden', 'Montessori', 'Soft', 'Musical'],
  materials: ['Beech Wood', 'Organic Cotton', 'Natural Rubber', 'Silicone'],
  colours: TOY_COLOURS,
  price: [6, 129],
  attributes: { age: ['0+', '6m+', '12m+', '18m+'] },
  blurbs: ['{noun} in {material} for little hands.', 'Free from BPA and phthalates.', 'Encourages grasping, stacking and discovering.'],
};

export const toys: CategoryNode = {
  name: 'Toys & Games',
  brands: ['Pip & Puddle', 'Tinker Town', 'Jouets Léon', 'Bright Bear', 'Wonderbox', 'Little Fjord', 'Marbleworks'],
  blurbs: ['Gift wrapping available.', 'Batteries not needed.'],
  children: [
    { name: 'Building Sets', family: building },
    { name: 'Dolls & Soft Toys', family: dolls },
    {
      name: 'Games & Puzzles',
      children: [
        { name: 'Board Games', family: boardGames },
        { name: 'Jigsaw Puzzles', family: puzzles },
      ],
    },
    { name: 'Outdoor Play', family: outdoorToys },
    { name: 'Baby & Toddler', slug: 'baby-toddler-toys', family: babyToys },
  ],
};
