// Product rows for the catalog in seed A's three categories, names and IDR price bands, plus re-pricing for upserts.
import { fromCents, toCents } from './decimal.js';
import { seededFaker, sequenceId } from './random.js';
import { DEFAULT_CATALOG_DATE } from './time.js';

export const PRODUCT_CATEGORIES = ['Electronics', 'Office Tools', 'Non-Fiction Books'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export interface ProductRow {
  productId: string;
  productName: string;
  category: ProductCategory;
  /** Whole rupiah as a decimal string. */
  price: string;
  updatedAt: Date;
}

/** Inclusive IDR price band per category. */
export const PRODUCT_PRICE_RANGES: Readonly<Record<ProductCategory, { min: number; max: number }>> = {
  Electronics: { min: 500_000, max: 30_000_000 },
  'Office Tools': { min: 5_000, max: 150_000 },
  'Non-Fiction Books': { min: 45_000, max: 300_000 },
};

/** Prices are whole multiples of this many rupiah, like shelf prices. */
const PRICE_STEP = 100;

/** A name is three parts joined by two separators: "brand model item", "brand attr item", "topic suffix by publisher". */
interface NamePattern {
  parts: readonly [readonly string[], readonly string[], readonly string[]];
  separators: readonly [string, string];
}

const NAME_PATTERNS: Readonly<Record<ProductCategory, NamePattern>> = {
  Electronics: {
    parts: [
      ['Samsung', 'Xiaomi', 'Apple', 'Asus', 'Lenovo', 'Sony', 'LG', 'Oppo', 'Vivo', 'Acer', 'Realme', 'Huawei'],
      ['X1', 'S24', 'Note 13', 'Pro 14', 'Air 5', 'Ultra 9', 'Neo 3', 'Max 7', 'Lite 2', 'Z5', 'A55', 'Gen 4'],
      ['Smartphone', 'Laptop', 'Tablet', 'Headphones', 'Smart TV', 'Monitor', 'Camera', 'Smartwatch', 'Bluetooth Speaker', 'Earbuds'],
    ],
    separators: [' ', ' '],
  },
  'Office Tools': {
    parts: [
      ['Joyko', 'Kenko', 'Deli', 'Faber-Castell', 'Stabilo', 'Pilot', 'Bantex', 'Snowman', 'Kangaro', 'Max'],
      ['Ergonomic', 'Heavy-Duty', 'Compact', 'Premium', 'Portable', 'Transparent', 'Magnetic', 'Refillable', 'Eco'],
      ['Stapler', 'Paper Puncher', 'Ballpoint Pen', 'Whiteboard Marker', 'Desk Organizer', 'Calculator', 'Scissors', 'Binder Clip', 'Tape Dispenser', 'Highlighter'],
    ],
    separators: [' ', ' '],
  },
  'Non-Fiction Books': {
    parts: [
      ['Productivity', 'Leadership', 'Personal Finance', 'Investing', 'Psychology', 'History', 'Entrepreneurship', 'Digital Marketing', 'Data Science', 'Mindfulness'],
      ['Essentials', 'Handbook', 'Masterclass', 'for Beginners', 'Explained', 'Guide', 'Fundamentals', 'Unlocked'],
      ['Gramedia', 'Erlangga', 'Mizan', 'Bentang Pustaka', 'Elex Media', 'Penguin', "O'Reilly", 'Wiley'],
    ],
    separators: [' ', ' by '],
  },
};

function joinParts(pattern: NamePattern, renderPart: (words: readonly string[]) => string, renderSeparator = (text: string) => text): string {
  const [first, second, third] = pattern.parts;
  const [afterFirst, afterSecond] = pattern.separators;
  return `${renderPart(first)}${renderSeparator(afterFirst)}${renderPart(second)}${renderSeparator(afterSecond)}${renderPart(third)}`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The exact shape of each category's product names, built from the same vocabulary the generator uses. */
export const PRODUCT_NAME_PATTERNS: Readonly<Record<ProductCategory, RegExp>> = Object.fromEntries(
  PRODUCT_CATEGORIES.map((category) => [
    category,
    new RegExp(`^${joinParts(NAME_PATTERNS[category], (words) => `(?:${words.map(escapeRegExp).join('|')})`, escapeRegExp)}$`),
  ]),
) as Record<ProductCategory, RegExp>;

export interface GenerateProductsOptions {
  seed: number;
  count?: number;
  /** Sequence number of the first id (`P000001`); pass the next unused one so runs never collide. */
  startIndex?: number;
  idDigits?: number;
  asOf?: Date;
}

export function generateProducts(options: GenerateProductsOptions): ProductRow[] {
  const { seed, count = 10, startIndex = 1, idDigits = 6, asOf = DEFAULT_CATALOG_DATE } = options;
  const faker = seededFaker(seed);
  return Array.from({ length: count }, (_, offset): ProductRow => {
    const category = faker.helpers.arrayElement(PRODUCT_CATEGORIES);
    return {
      productId: sequenceId('P', startIndex + offset, idDigits),
      productName: joinParts(NAME_PATTERNS[category], (words) => faker.helpers.arrayElement(words)),
      category,
      price: String(faker.number.int({ ...PRODUCT_PRICE_RANGES[category], multipleOf: PRICE_STEP })),
      updatedAt: new Date(asOf.getTime()),
    };
  });
}

export interface RepriceProductsOptions {
  seed: number;
  /** Becomes the `updatedAt` of every re-priced product. */
  asOf: Date;
  /** Chance that a given product is re-priced in this run. */
  share?: number;
  /** Largest price move, in percent either way; the result stays inside the category's band. */
  maxChangePercent?: number;
}

/** Returns only the products that were re-priced, ready to upsert; the input is left untouched. */
export function repriceProducts(products: readonly ProductRow[], options: RepriceProductsOptions): ProductRow[] {
  const { seed, asOf, share = 0.2, maxChangePercent = 20 } = options;
  const faker = seededFaker(seed);
  const step = BigInt(PRICE_STEP) * 100n;
  return products
    .filter(() => faker.number.float() < share)
    .map((product) => {
      const { min, max } = PRODUCT_PRICE_RANGES[product.category];
      const percent = BigInt(100 + faker.number.int({ min: -maxChangePercent, max: maxChangePercent }));
      const moved = ((toCents(product.price) * percent) / 100n / step) * step;
      const clamped = bigMax(BigInt(min) * 100n, bigMin(BigInt(max) * 100n, moved));
      return { ...product, price: fromCents(clamped), updatedAt: new Date(asOf.getTime()) };
    });
}

const bigMin = (a: bigint, b: bigint) => (a < b ? a : b);
const bigMax = (a: bigint, b: bigint) => (a > b ? a : b);
