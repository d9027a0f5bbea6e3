// Merchants are reproducible and cover every product category.
import { generateMerchants } from './merchants.js';
import { PRODUCT_CATEGORIES } from './products.js';

describe('generateMerchants', () => {
  it('is reproducible, numbered from startIndex, and sells every category', () => {
    const merchants = generateMerchants({ seed: 5, count: 60, startIndex: 3 });
    expect(generateMerchants({ seed: 5, count: 60, startIndex: 3 })).toEqual(merchants);
    expect(generateMerchants({ seed: 6, count: 60, startIndex: 3 })).not.toEqual(merchants);
    expect(merchants[0]?.merchantId).toBe('M000003');
    expect(new Set(merchants.map((merchant) => merchant.merchantId)).size).toBe(60);
    expect(new Set(merchants.map((merchant) => merchant.category))).toEqual(new Set(PRODUCT_CATEGORIES));
    for (const merchant of merchants) {
      expect(merchant.name.length).toBeGreaterThan(3);
      expect(merchant.country).toMatch(/^[A-Z]{2}$/);
    }
  });
});
