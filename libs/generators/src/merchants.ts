// Merchant rows for the catalog: each sells one product category, so an order's merchant matches what it sells.
import { PRODUCT_CATEGORIES, type ProductCategory } from './products.js';
import { seededFaker, sequenceId } from './random.js';

export interface MerchantRow {
  merchantId: string;
  name: string;
  category: ProductCategory;
  country: string;
}

export interface GenerateMerchantsOptions {
  seed: number;
  count?: number;
  /** Sequence number of the first id (`M000001`). */
  startIndex?: number;
  idDigits?: number;
}

const STORE_WORDS: Readonly<Record<ProductCategory, readonly string[]>> = {
  Electronics: ['Elektronik', 'Gadget', 'Digital', 'Cellular'],
  'Office Tools': ['ATK', 'Stationery', 'Office Supply'],
  'Non-Fiction Books': ['Buku', 'Pustaka', 'Books'],
};

const MERCHANT_COUNTRIES = [
  { weight: 85, value: 'ID' },
  { weight: 8, value: 'SG' },
  { weight: 5, value: 'MY' },
  { weight: 2, value: 'US' },
];

export function generateMerchants(options: GenerateMerchantsOptions): MerchantRow[] {
  const { seed, count = 10, startIndex = 1, idDigits = 6 } = options;
  const faker = seededFaker(seed, 'id_ID');
  return Array.from({ length: count }, (_, offset): MerchantRow => {
    const category = faker.helpers.arrayElement(PRODUCT_CATEGORIES);
    return {
      merchantId: sequenceId('M', startIndex + offset, idDigits),
      name: `${faker.helpers.arrayElement(['Toko ', ''])}${faker.person.lastName()} ${faker.helpers.arrayElement(STORE_WORDS[category])}`,
      category,
      country: faker.helpers.weightedArrayElement(MERCHANT_COUNTRIES),
    };
  });
}
