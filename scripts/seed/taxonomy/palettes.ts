import type { Axis } from './types';

export const CLOTHING_COLOURS = ['Black', 'Navy', 'Charcoal', 'Oatmeal', 'Forest Green', 'Burgundy', 'Camel', 'Ivory', 'Sky Blue', 'Rust', 'Olive', 'Écru'];
export const HOME_COLOURS = ['White', 'Cream', 'Sage', 'Terracotta', 'Slate Grey', 'Mustard', 'Duck Egg Blue', 'Charcoal', 'Blush Pink'];
export const TECH_COLOURS = ['Black', 'White', 'Silver', 'Graphite', 'Midnight Blue', 'Sand'];
export const SPORT_COLOURS = ['Black', 'Volt Yellow', 'Cobalt', 'Red', 'Grey', 'Teal', 'Orange', 'Khaki'];

export const CLOTHING_SIZES: Axis = { name: 'size', values: ['XS', 'S', 'M', 'L', 'XL', 'XXL'] };
export const SHOE_SIZES: Axis = { name: 'size', values: ['36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46'] };
export const KIDS_SIZES: Axis = { name: 'size', values: ['2-3Y', '4-5Y', '6-7Y', '8-9Y', '10-11Y', '12-13Y'] };
export const BABY_SIZES: Axis = { name: 'size', values: ['0-3M', '3-6M', '6-12M', '12-18M', '18-24M'] };
