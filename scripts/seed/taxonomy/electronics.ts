import { TECH_COLOURS } from './palettes';
import { type CategoryNode, type Family, stepped } from './types';

const COLOUR_CHOICE = { name: 'colour', values: TECH_COLOURS };

const headphones: Family = {
  code: 'HPH',
  nouns: ['Wireless Headphones', 'Noise-Cancelling Headphones', 'True Wireless Earbuds', 'Over-Ear Headphones', 'Sport Earphones', 'Studio Monitor Headphones'],
  adjectives: ['Pro', 'Studio', 'Compact', 'Hi-Res', 'Open-Back'],
  axes: [COLOUR_CHOICE],
  price: [19, 449],
  nounPrices: { 'Sport Earphones': [15, 89], 'True Wireless Earbuds': [29, 279] },
  attributes: { connectivity: ['Bluetooth 5.3', 'Bluetooth 5.0', 'Wired 3.5 mm', 'USB-C'], battery_life: ['8 hours', '20 hours', '30 hours', '40 hours'] },
  blurbs: ['{noun} with rich bass and clear, detailed highs.', 'Active noise cancelling shuts out trains, planes and open-plan offices.', 'A quick ten-minute charge gives hours of playback.'],
};

const speakers: Family = {
  code: 'SPK',
  nouns: ['Bluetooth Speaker', 'Smart Speaker', 'Soundbar', 'Bookshelf Speakers (Pair)', 'Portable Party Speaker', 'Turntable'],
  adjectives: ['Waterproof', 'Rugged', 'Wireless', 'Multi-Room', 'Retro'],
  axes: [COLOUR_CHOICE],
  price: [29, 799],
  nounPrices: { 'Bluetooth Speaker': [29, 199], 'Smart Speaker': [49, 249], 'Portable Party Speaker': [79, 399] },
  attributes: { connectivity: ['Bluetooth', 'Wi-Fi and Bluetooth', 'Optical and HDMI ARC'] },
  blurbs: ['{noun} with room-filling sound.', 'Pairs with your phone in seconds.', 'Splash-proof, drop-proof, ready for the beach.'],
};

const keyboards: Family = {
  code: 'KBD',
  nouns: ['Mechanical Keyboard', 'Wireless Keyboard', 'Low-Profile Keyboard', 'Ergonomic Split Keyboard', 'Numeric Keypad'],
  adjectives: ['Compact 75%', 'Tenkeyless', 'Backlit', 'Silent', 'Hot-Swappable'],
  axes: [{ name: 'layout', values: ['UK', 'US', 'DE', 'FR', 'Nordic'] }],
  price: [19, 249],
  attributes: { switches: ['Linear', 'Tactile', 'Clicky', 'Scissor'] },
  blurbs: ['A {noun} that makes typing a pleasure.', 'Connects to three devices and switches with one key.', 'Months of battery life on a single charge.'],
};

const mice: Family = {
  code: 'MSE',
  nouns: ['Wireless Mouse', 'Ergonomic Vertical Mouse', 'Gaming Mouse', 'Trackball', 'Travel Mouse', 'Desk Mat'],
  adjectives: ['Silent', 'Rechargeable', 'Lightweight', 'Precision'],
  axes: [COLOUR_CHOICE],
  price: [12, 149],
  blurbs: ['A {noun} shaped for hours of comfortable work.', 'Tracks on glass and glossy desks.', 'USB-C charging.'],
};

const monitors: Family = {
  code: 'MON',
  nouns: ['27" 4K Monitor', '24" Full HD Monitor', '34" Ultrawide Monitor', '32" QHD Monitor', 'Portable Monitor 15.6"'],
  adjectives: ['IPS', 'USB-C', 'Gaming', 'Eye-Care', 'Professional'],
  price: [129, 899],
  attributes: { refresh_rate: ['60 Hz', '75 Hz', '144 Hz', '165 Hz'], panel: ['IPS', 'VA', 'OLED'] },
  blurbs: ['A sharp {noun} with accurate colour out of the box.', 'One USB-C cable for picture, data and power.', 'Height-adjustable stand that tilts and swivels.'],
};

const phoneCases: Family = {
  code: 'CAS',
  nouns: ['Phone Case', 'Wallet Case', 'Clear Case', 'Rugged Case', 'Screen Protector (2 Pack)'],
  adjectives: ['Slim', 'Shockproof', 'MagSafe-Compatible', 'Eco', 'Leather'],
  materials: ['Silicone', 'Recycled Plastic', 'Leather', 'Tempered Glass', 'Plant-Based Polymer'],
  axes: [{ name: 'model', values: ['Phone 14', 'Phone 15', 'Phone 15 Pro', 'Phone 16', 'Phone 16 Pro', 'Galaxy S24'] }],
  colours: TECH_COLOURS,
  price: [8, 59],
  blurbs: ['{noun} in {material} that survives drops from two metres.', 'Raised edges protect the screen and camera.'],
};

const chargers: Family = {
  code: 'CHG',
  nouns: ['USB-C Charger 65W', 'Wireless Charging Pad', 'Power Bank 20000mAh', 'USB-C Cable 2m', 'Charging Stand 3-in-1', 'Travel Adapter'],
  adjectives: ['GaN', 'Fast-Charge', 'Braided', 'Compact', 'Magnetic'],
  axes: [COLOUR_CHOICE],
  price: [9, 99],
  blurbs: ['A {noun} for the desk, the bag and the bedside.', 'Smaller than the charger in the box.', 'Certified safe against overheating.'],
};

const tablets: Family = {
  code: 'TAB',
  nouns: ['Tablet 11"', 'E-Reader', 'Drawing Tablet', 'Kids Tablet 8"', 'Tablet 13"'],
  adjectives: ['Pro', 'Air', 'Lite', 'Paperwhite'],
  axes: [stepped('storage', ['64GB', '128GB', '256GB', '512GB', '1TB'], 0.2)],
  colours: TECH_COLOURS,
  price: [79, 749],
  blurbs: ['A {noun} with a bright, glare-free screen.', 'All-day battery and a pencil that feels like paper.', 'Fits in any bag.'],
};

const cameras: Family = {
  code: 'CAM',
  nouns: ['Mirrorless Camera Body', 'Action Camera', 'Instant Camera', 'Compact Camera', '50mm f/1.8 Lens', 'Camera Tripod', 'Camera Bag'],
  adjectives: ['Full-Frame', 'Vlogging', 'Waterproof', 'Retro', 'Travel'],
  price: [49, 899],
  nounPrices: { 'Instant Camera': [59, 149], 'Camera Tripod': [25, 199], 'Camera Bag': [29, 179], 'Action Camera': [99, 449], 'Compact Camera': [199, 899] },
  attributes: { megapixels: ['12 MP', '20 MP', '24 MP', '33 MP'] },
  blurbs: ['A {noun} for travel, street and family photos.', '4K video with in-body stabilisation.', 'Light enough to take everywhere.'],
};

const smartHome: Family = {
  code: 'SMH',
  nouns: ['Smart Plug (2 Pack)', 'Video Doorbell', 'Smart Thermostat', 'Indoor Security Camera', 'Smart Bulb E27 (3 Pack)', 'Robot Vacuum', 'Motion Sensor'],
  adjectives: ['Wi-Fi', 'Matter-Compatible', 'Voice-Controlled', 'Battery-Powered'],
  price: [15, 599],
  nounPrices: { 'Smart Plug (2 Pack)': [15, 39], 'Smart Bulb E27 (3 Pack)': [19, 59], 'Motion Sensor': [15, 45], 'Smart Thermostat': [99, 279], 'Video Doorbell': [59, 249] },
  attributes: { works_with: ['Matter', 'HomeKit', 'Google Home', 'Alexa'] },
  blurbs: ['{noun} that sets up in minutes from the app.', 'Works with the voice assistant you already have.', 'Local control keeps working when the internet does not.'],
};

const appliances: Family = {
  code: 'APL',
  nouns: ['Kettle 1.7L', 'Toaster (2 Slice)', 'Blender', 'Air Fryer', 'Hand Mixer', 'Stand Mixer', 'Juicer', 'Rice Cooker'],
  adjectives: ['Rapid-Boil', 'Compact', 'Digital', 'Retro', 'Quiet'],
  colours: ['Black', 'Cream', 'Stainless Steel', 'Red', 'Sage', 'Pastel Blue'],
  price: [19, 599],
  nounPrices: { 'Kettle 1.7L': [19, 119], 'Toaster (2 Slice)': [19, 129], 'Hand Mixer': [19, 89], 'Stand Mixer': [149, 599], 'Rice Cooker': [29, 149] },
  attributes: { power: ['800 W', '1200 W', '1500 W', '2200 W', '3000 W'] },
  blurbs: ['A {colour} {noun} that saves time every morning.', 'Easy-clean parts go in the dishwasher.', 'Auto shut-off for peace of mind.'],
};

const wearables: Family = {
  code: 'WRB',
  nouns: ['Fitness Tracker', 'GPS Running Watch', 'Smartwatch', 'Heart Rate Chest Strap', 'Smart Ring'],
  adjectives: ['Solar', 'Multisport', 'Slim', 'Rugged'],
  axes: [{ name: 'colour', values: ['Black', 'Silver', 'Rose Gold', 'Olive', 'White'] }],
  price: [29, 699],
  nounPrices: { 'Heart Rate Chest Strap': [29, 99], 'Fitness Tracker': [29, 179] },
  attributes: { battery_life: ['5 days', '7 days', '14 days', '21 days'] },
  blurbs: ['A {noun} that tracks sleep, steps and heart rate.', 'Accurate GPS for runs, rides and swims.', 'Water resistant to 50 metres.'],
};

export const electronics: CategoryNode = {
  name: 'Electronics',
  brands: ['Voltari', 'Lumière Audio', 'Kestrel Tech', 'Pixelwave', 'Nordsonic', 'Aurëa', 'Quanta', 'Helix Labs'],
  blurbs: ['Comes with a two-year warranty.', 'Free next-day delivery.', 'Firmware updates for five years.'],
  children: [
    {
      name: 'Audio',
      children: [
        { name: 'Headphones', family: headphones },
        { name: 'Speakers', family: speakers },
      ],
    },
    {
      name: 'Computers & Accessories',
      children: [
        { name: 'Keyboards', family: keyboards },
        { name: 'Mice & Trackpads', family: mice },
        { name: 'Monitors', family: monitors },
      ],
    },
    {
      name: 'Mobile',
      children: [
        { name: 'Phone Cases', family: phoneCases },
        { name: 'Chargers & Cables', family: chargers },
        { name: 'Tablets & E-Readers', family: tablets },
        { name: 'Wearables', family: wearables, alsoIn: ['fitness'] },
      ],
    },
    { name: 'Cameras', family: cameras },
    { name: 'Smart Home', family: smartHome },
    { name: 'Small Appliances', family: appliances },
  ],
};
