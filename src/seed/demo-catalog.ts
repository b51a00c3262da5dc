/** Names for the demo marketplace: three category levels, each leaf with nouns for titles. */
export type DemoTopCategory = {
  name: string;
  fixedRateBp: number;
  children: Record<string, Record<string, string[]>>;
};

export const demoCategories: DemoTopCategory[] = [
  {
    name: 'Consumer Electronics',
    fixedRateBp: 700,
    children: {
      'Phones & Accessories': {
        'Phone Cases': ['Phone Case', 'Bumper Case'],
        Chargers: ['Fast Charger', 'Wireless Charger'],
        Cables: ['USB-C Cable', 'Lightning Cable'],
      },
      Audio: {
        Earbuds: ['Wireless Earbuds', 'Sport Earbuds'],
        Speakers: ['Bluetooth Speaker', 'Mini Speaker'],
        Headphones: ['Over-Ear Headphones', 'Gaming Headset'],
      },
      'Smart Devices': {
        Smartwatches: ['Smartwatch', 'Fitness Band'],
        Cameras: ['Action Camera', 'Dash Cam'],
        'Smart Home': ['Smart Plug', 'LED Strip'],
      },
    },
  },
  {
    name: "Women's Fashion",
    fixedRateBp: 1200,
    children: {
      Dresses: {
        'Summer Dresses': ['Floral Dress', 'Maxi Dress'],
        'Party Dresses': ['Cocktail Dress', 'Sequin Dress'],
        'Work Dresses': ['Shift Dress', 'Wrap Dress'],
      },
      Tops: {
        Blouses: ['Chiffon Blouse', 'Silk Blouse'],
        'T-Shirts': ['Graphic Tee', 'Basic Tee'],
        Sweaters: ['Knit Sweater', 'Cardigan'],
      },
      Bags: {
        Handbags: ['Tote Bag', 'Crossbody Bag'],
        Backpacks: ['Mini Backpack', 'Travel Backpack'],
        Wallets: ['Card Wallet', 'Clutch'],
      },
    },
  },
  {
    name: "Men's Fashion",
    fixedRateBp: 1100,
    children: {
      Outerwear: {
        Jackets: ['Bomber Jacket', 'Denim Jacket'],
        Coats: ['Wool Coat', 'Parka'],
        Hoodies: ['Zip Hoodie', 'Pullover Hoodie'],
      },
      Shirts: {
        'Casual Shirts': ['Flannel Shirt', 'Linen Shirt'],
        Polos: ['Polo Shirt', 'Pique Polo'],
        'Dress Shirts': ['Oxford Shirt', 'Slim Shirt'],
      },
      Accessories: {
        Watches: ['Quartz Watch', 'Chronograph'],
        Belts: ['Leather Belt', 'Canvas Belt'],
        Sunglasses: ['Aviator Sunglasses', 'Polarized Sunglasses'],
      },
    },
  },
  {
    name: 'Home & Garden',
    fixedRateBp: 900,
    children: {
      Kitchen: {
        Cookware: ['Frying Pan', 'Saucepan'],
        Knives: ['Chef Knife', 'Paring Knife'],
        Storage: ['Food Container', 'Spice Rack'],
      },
      'Home Decor': {
        Lighting: ['Table Lamp', 'Fairy Lights'],
        Wall: ['Wall Clock', 'Canvas Print'],
        Textiles: ['Throw Pillow', 'Blanket'],
      },
      Garden: {
        Tools: ['Pruning Shears', 'Garden Trowel'],
        Planters: ['Ceramic Planter', 'Hanging Planter'],
        Watering: ['Watering Can', 'Hose Nozzle'],
      },
    },
  },
  {
    name: 'Sports & Outdoors',
    fixedRateBp: 800,
    children: {
      Fitness: {
        Yoga: ['Yoga Mat', 'Yoga Block'],
        Weights: ['Dumbbell Set', 'Kettlebell'],
        Bands: ['Resistance Band', 'Pull-Up Band'],
      },
      Cycling: {
        'Bike Lights': ['Bike Light', 'Tail Light'],
        Helmets: ['Road Helmet', 'MTB Helmet'],
        Gloves: ['Cycling Gloves', 'Winter Gloves'],
      },
      Camping: {
        Tents: ['Dome Tent', 'Pop-Up Tent'],
        Lights: ['Headlamp', 'Camping Lantern'],
        Cooking: ['Camp Stove', 'Titanium Mug'],
      },
    },
  },
  {
    name: 'Beauty & Health',
    fixedRateBp: 1000,
    children: {
      Makeup: {
        Lips: ['Matte Lipstick', 'Lip Gloss'],
        Eyes: ['Eyeshadow Palette', 'Mascara'],
        Brushes: ['Brush Set', 'Blending Sponge'],
      },
      'Skin Care': {
        Serums: ['Vitamin C Serum', 'Hyaluronic Serum'],
        Masks: ['Sheet Mask', 'Clay Mask'],
        Sunscreen: ['SPF 50 Sunscreen', 'Tinted SPF'],
      },
      'Hair Care': {
        Tools: ['Hair Dryer', 'Curling Iron'],
        Accessories: ['Hair Clips', 'Scrunchies'],
        Wigs: ['Lace Wig', 'Ponytail Extension'],
      },
    },
  },
  {
    name: 'Toys & Hobbies',
    fixedRateBp: 900,
    children: {
      'Building Toys': {
        Blocks: ['Building Blocks', 'Magnetic Tiles'],
        Models: ['Model Car Kit', 'Model Ship Kit'],
        Puzzles: ['Jigsaw Puzzle', '3D Puzzle'],
      },
      'RC Toys': {
        Drones: ['Mini Drone', 'FPV Drone'],
        Cars: ['RC Car', 'Rock Crawler'],
        Boats: ['RC Boat', 'Speed Boat'],
      },
      Crafts: {
        Painting: ['Acrylic Paint Set', 'Paint by Numbers'],
        Knitting: ['Yarn Bundle', 'Knitting Needles'],
        Beads: ['Bead Kit', 'Charm Set'],
      },
    },
  },
  {
    name: 'Automotive',
    fixedRateBp: 750,
    children: {
      Interior: {
        'Seat Covers': ['Seat Cover Set', 'Seat Cushion'],
        Organizers: ['Trunk Organizer', 'Seat Gap Filler'],
        Mounts: ['Phone Mount', 'Tablet Mount'],
      },
      Electronics: {
        'Dash Cams': ['Dual Dash Cam', '4K Dash Cam'],
        Chargers: ['Car Charger', 'Jump Starter'],
        Lighting: ['LED Headlight', 'Ambient Light'],
      },
      Care: {
        Cleaning: ['Microfiber Towel', 'Car Wash Mitt'],
        Tools: ['Tire Inflator', 'OBD2 Scanner'],
        Covers: ['Car Cover', 'Sun Shade'],
      },
    },
  },
];

export const adjectives = [
  'Premium',
  'Ultra-Thin',
  'Portable',
  'Classic',
  'Vintage',
  'Pro',
  'Waterproof',
  'Eco',
  'Compact',
  'Deluxe',
  'Soft',
  'Heavy-Duty',
  'Minimalist',
  'Foldable',
  'Smart',
];
export const colours = [
  'Black',
  'White',
  'Red',
  'Navy',
  'Olive',
  'Beige',
  'Pink',
  'Grey',
  'Teal',
  'Gold',
];
const storeFirstWords = [
  'Lumen',
  'Blue Harbor',
  'Nordic Nest',
  'Red Lantern',
  'Sunrise',
  'Jade River',
  'Maple',
  'Urban Loom',
  'Peak',
  'Silk Road',
  'Tiny Wonders',
  'Volt',
  'Coral Bay',
  'Amber',
  'Golden Gate',
  'Iron Oak',
  'Cloud Nine',
  'Lotus',
  'Pine Ridge',
  'Harbor Lights',
  'Kestrel',
  'Orchid',
  'Summit',
  'Willow',
  'Zephyr',
];
const storeLastWords = ['Trading', 'Goods', 'Outfitters', 'Select', 'Supply', 'Direct', 'House'];

/** Fifty store names, each first word twice with two different endings. */
export const storeNames = Array.from(
  { length: 50 },
  (_, i) =>
    `${storeFirstWords[i % 25]} ${storeLastWords[(i + Math.floor(i / 25) * 4) % storeLastWords.length]}`,
);
export const shippingMethods = [
  'DHL',
  'FEDEX',
  'UPS',
  'EMS',
  'CHINA_POST',
  'HONGKONG_POST',
  'OTHER_POST',
  'SELLER_SHIPPING',
];
