// Products follow seed A's category names and price bands, and re-pricing stays inside them.
import { toCents } from './decimal.js';
import { generateProducts, PRODUCT_CATEGORIES, PRODUCT_NAME_PATTERNS, PRODUCT_PRICE_RANGES, repriceProducts } from './products.js';

const inRange = (price: string, category: keyof typeof PRODUCT_PRICE_RANGES) => {
  const whole = Number(price);
  return /^\d+$/.test(price) && whole >= PRODUCT_PRICE_RANGES[category].min && whole <= PRODUCT_PRICE_RANGES[category].max;
};

describe('generateProducts', () => {
  const products = generateProducts({ seed: 7, count: 600 });

  it('is reproducible under a seed and differs across seeds', () => {
    expect(generateProducts({ seed: 7, count: 600 })).toEqual(products);
    expect(generateProducts({ seed: 8, count: 600 })).not.toEqual(products);
  });

  it('covers the three categories, each named and priced by its own pattern', () => {
    expect(new Set(products.map((product) => product.category))).toEqual(new Set(PRODUCT_CATEGORIES));
    for (const product of products) {
      expect(product.productName).toMatch(PRODUCT_NAME_PATTERNS[product.category]);
      for (const other of PRODUCT_CATEGORIES.filter((category) => category !== product.category)) {
        expect(product.productName).not.toMatch(PRODUCT_NAME_PATTERNS[other]);
      }
      expect(inRange(product.price, product.category)).toBe(true);
    }
  });

  it('names books "topic suffix by publisher"', () => {
    const book = products.find((product) => product.category === 'Non-Fiction Books');
    expect(book?.productName).toMatch(/^.+ by .+$/);
  });

  it('numbers ids from startIndex', () => {
    expect(generateProducts({ seed: 1, count: 2, startIndex: 41 }).map((product) => product.productId)).toEqual(['P000041', 'P000042']);
  });
});

describe('repriceProducts', () => {
  const products = generateProducts({ seed: 9, count: 500 });
  const asOf = new Date('2026-02-01T00:00:00Z');
  const repriced = repriceProducts(products, { seed: 10, asOf, share: 0.3, maxChangePercent: 20 });

  it('returns a share of the products, re-priced within ±20% (whole hundreds of rupiah) and their category band, stamped asOf', () => {
    expect(repriced.length).toBeGreaterThan(100);
    expect(repriced.length).toBeLessThan(200);
    const before = new Map(products.map((product) => [product.productId, product]));
    for (const product of repriced) {
      const original = before.get(product.productId)!;
      expect({ ...product, price: original.price, updatedAt: original.updatedAt }).toEqual(original);
      expect(inRange(product.price, product.category)).toBe(true);
      const { min } = PRODUCT_PRICE_RANGES[product.category];
      const lowest = (toCents(original.price) * 80n) / 100n - 100n * 100n;
      expect(toCents(product.price) >= (lowest > BigInt(min) * 100n ? lowest : BigInt(min) * 100n)).toBe(true);
      expect(toCents(product.price) <= (toCents(original.price) * 120n) / 100n).toBe(true);
      expect(product.updatedAt).toEqual(asOf);
    }
  });

  it('leaves its input untouched and is reproducible', () => {
    expect(products).toEqual(generateProducts({ seed: 9, count: 500 }));
    expect(repriceProducts(products, { seed: 10, asOf, share: 0.3 })).toEqual(repriced);
  });
});
