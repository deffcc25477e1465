import type { Random } from '../random';
import type { Axis, CategoryNode, Family } from './types';

const FORMATS: Axis = { name: 'format', values: ['eBook', 'Paperback', 'Hardback', 'Audiobook'], factors: [0.6, 1, 1.7, 1.4] };
const FIRST_NAMES = ['Élodie', 'Søren', 'José', 'Zoë', 'Anaïs', 'Björn', 'Chloé', 'Renée', 'Amélie', 'Joaquín', 'Inès', 'Margaret', 'Tom', 'Priya', 'Kwame', 'Hannah', 'Luca', 'Aoife'];
const LAST_NAMES = ['Marchetti', 'Alvik', 'Ibáñez', 'Hartley', 'Lindqvist', 'Okafor', 'Dubois', 'Nakamura', 'Ferreira', 'O’Connell', 'Novák', 'Ashworth', 'Brennan', 'Mehta', 'Galloway', 'Müller'];
const PLACES = ['Montmartre', 'Zürich', 'São Paulo', 'Málaga', 'Kraków', 'Reykjavík', 'the Fens', 'Hebden Bridge', 'Lisbon', 'the Côte d’Azur', 'Trondheim', 'Marseille'];

function author(random: Random): string {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

/** Titles from a few patterns over the genre's own words. */
function titles(adjectives: string[], nouns: string[]): (random: Random) => string {
  return (random) => {
    const noun = random.pick(nouns);
    switch (random.int(0, 3)) {
      case 0:
        return `The ${random.pick(adjectives)} ${noun}`;
      case 1:
        return `${noun} in ${random.pick(PLACES)}`;
      case 2:
        return `The ${noun} of ${random.pick(PLACES)}`;
      default:
        return `A ${random.pick(adjectives)} ${noun}`;
    }
  };
}

function book(code: string, genre: string, price: [number, number], adjectives: string[], nouns: string[], blurbs: string[]): Family {
  return {
    code,
    nouns: [genre],
    axes: [FORMATS],
    price,
    attributes: { author, language: ['English', 'English', 'English', 'French', 'German'], pages: ['192', '256', '320', '384', '448', '512'] },
    blurbs: [...blurbs, 'The new {noun} from {author}.'],
    title: titles(adjectives, nouns),
  };
}

export const books: CategoryNode = {
  name: 'Books',
  brands: ['Harbourlight Press', 'Éditions Lumière', 'Quillon Books', 'Foxglove Publishing', 'Northwind House', 'Paperlantern'],
  blurbs: ['Signed copies while stocks last.', 'Shortlisted for the Harbour Prize.'],
  children: [
    {
      name: 'Fiction',
      children: [
        {
          name: 'Crime & Thrillers',
          family: book('CRM', 'crime novel', [8, 28], ['Silent', 'Drowned', 'Last', 'Hollow', 'Frozen'], ['Witness', 'Harbour', 'Alibi', 'Confession', 'Detective'], ['A gripping {noun} that keeps you guessing to the last page.', 'A body in the café, and a town full of secrets.']),
        },
        {
          name: 'Science Fiction & Fantasy',
          family: book('SFF', 'fantasy epic', [8, 32], ['Iron', 'Starless', 'Hidden', 'Burning', 'Glass'], ['Crown', 'Empire', 'Dragon', 'Station', 'Orbit'], ['A sweeping {noun} of empires and starships.', 'The first in a trilogy readers cannot put down.']),
        },
        {
          name: 'Literary Fiction',
          family: book('LIT', 'novel', [9, 30], ['Quiet', 'Small', 'Ordinary', 'Summer', 'Borrowed'], ['Garden', 'Season', 'Daughter', 'Lighthouse', 'Café'], ['A tender {noun} about family, memory and home.', 'Luminous, funny and heartbreaking.']),
        },
        {
          name: 'Romance',
          family: book('ROM', 'love story', [6, 22], ['Perfect', 'Secret', 'Midsummer', 'Sweet'], ['Kiss', 'Promise', 'Bakery', 'Wedding', 'Crème Brûlée'], ['A warm, witty {noun} to read in one sitting.', 'Two rivals, one pâtisserie and a summer that changes everything.']),
        },
      ],
    },
    {
      name: 'Non-Fiction',
      children: [
        {
          name: 'History',
          family: book('HIS', 'history', [10, 45], ['Forgotten', 'Great', 'Lost', 'Long'], ['Empire', 'Revolution', 'Voyage', 'Century', 'War'], ['A vivid {noun} that brings the past to life.', 'Drawn from letters, diaries and new archives.']),
        },
        {
          name: 'Biography & Memoir',
          family: book('BIO', 'memoir', [9, 35], ['Unfinished', 'Accidental', 'Remarkable', 'Brave'], ['Life', 'Journey', 'Year', 'Apprenticeship'], ['An honest, funny {noun} of a life lived in kitchens and concert halls.', 'A portrait of a singular mind.']),
        },
        {
          name: 'Science & Nature',
          family: book('SCI', 'popular science book', [10, 40], ['Hidden', 'Wild', 'Secret', 'Infinite'], ['Forest', 'Ocean', 'Universe', 'Brain', 'Bird'], ['A fascinating {noun} that makes big ideas easy.', 'Full of wonder, and of facts to tell at dinner.']),
        },
      ],
    },
    {
      name: 'Cookery',
      slug: 'cookbooks',
      alsoIn: ['home-kitchen'],
      family: book('COK', 'cookbook', [12, 45], ['Simple', 'Slow', 'Everyday', 'Green', 'Sunday'], ['Kitchen', 'Pâtisserie', 'Table', 'Bistro', 'Bakery'], ['A {noun} of 120 recipes, from quick suppers to feasts.', 'Crème caramel, crêpes and the perfect café au lait.']),
    },
    {
      name: "Children's Books",
      slug: 'childrens-books',
      alsoIn: ['toys-games'],
      family: book('CHB', 'picture book', [5, 20], ['Little', 'Brave', 'Sleepy', 'Giant', 'Curious'], ['Bear', 'Fox', 'Moon', 'Dragon', 'Owl'], ['A joyful {noun} to read aloud at bedtime.', 'Beautifully illustrated on every page.']),
    },
    {
      name: 'Travel',
      slug: 'travel-books',
      family: book('TRV', 'travel guide', [9, 35], ['Rough', 'Essential', 'Slow', 'Hidden'], ['Walk', 'Road Trip', 'Weekend', 'City Guide'], ['A {noun} with maps, walks and where to eat.', 'Written by people who live there.']),
    },
  ],
};
