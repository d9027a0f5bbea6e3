// The handbook's profile tables as catalog rows: customers who spend around their own mean, merchants on the same grid with a price ladder, and who can reach whom.
import type { Faker } from '@faker-js/faker';
import { PAYMENT_METHODS, type PaymentMethod } from '../contract.js';
import { generateMerchants, type MerchantRow } from '../merchants.js';
import { CARD_TESTING_MAX_IDR, createShopper, HIGH_VALUE_MIN_IDR, type OrderLine, type Shopper } from '../order-kit.js';
import { generateProducts, PRODUCT_CATEGORIES, type ProductCategory, type ProductRow } from '../products.js';
import { sequenceId } from '../random.js';
import { generateUsers } from '../users.js';
import { Mailboxes } from './mailboxes.js';
import { drawSeed, normal } from './sampling.js';

/** Customers and merchants sit on a GRID_SIZE × GRID_SIZE square, as the handbook's customers and terminals do. */
const GRID_SIZE = 100;
/** The handbook's amounts (mean spend 5–100, fraud above 220) times this are rupiah. */
export const IDR_PER_HANDBOOK_UNIT = 10_000;
/** Each merchant sells this many products, priced on a ladder that spans what customers spend. */
const PRODUCTS_PER_MERCHANT = 20;
/** Customers who order less often than this a day, on average, are the dormant accounts device farms reuse. */
export const DORMANT_ORDERS_PER_DAY = 0.1;

const PRICE_FLOOR_IDR = 5_000;
const PRICE_CEILING_IDR = 3_000_000;
const PRICE_STEP_IDR = 100;
/** A line may take up to this many units to come close to the amount drawn. */
const MAX_LINE_QUANTITY = 3;
/** The smallest quantity whose total is within this share of the amount drawn is taken. */
const LINE_TOLERANCE = 0.05;

/** A customer of the handbook: where they live, how much and how often they buy, and from which merchants. */
export interface CustomerProfile {
  userId: string;
  x: number;
  y: number;
  /** Mean (whole rupiah) and standard deviation of an order's amount: the handbook's 5–100 and mean / 2, × 10,000. */
  meanAmount: number;
  stdAmount: number;
  /** Mean orders a day (handbook: uniform 0–4); each day's count is Poisson around it. */
  meanOrdersPerDay: number;
  /** The merchants within the radius, or the nearest one when none is. */
  merchantIds: readonly string[];
  /** The methods the customer's own orders are paid with: their default, sometimes a second one. */
  paymentMethods: readonly [PaymentMethod, ...PaymentMethod[]];
}

/** A merchant of the handbook (its terminal): where it sits and what it sells. */
export interface MerchantProfile {
  merchantId: string;
  x: number;
  y: number;
  /** Its products, cheapest first. */
  productIds: readonly string[];
}

export interface Merchant {
  row: MerchantRow;
  profile: MerchantProfile;
  /** Cheapest first; prices are whole rupiah, also kept as numbers in `prices`. */
  products: readonly [ProductRow, ...ProductRow[]];
  prices: readonly number[];
}

export interface Customer {
  shopper: Shopper;
  profile: CustomerProfile;
  merchants: readonly [Merchant, ...Merchant[]];
}

export interface World {
  customers: Customer[];
  /** The customers device farms may take over because they hardly ever order. */
  dormant: Customer[];
  merchants: Merchant[];
  /** Every account's address is its own; accounts created later claim theirs here too. */
  mailboxes: Mailboxes;
}

export interface WorldOptions {
  customers: number;
  merchants: number;
  radius: number;
  /** Accounts are created up to two years before this; products are priced as of it. */
  catalogDate: Date;
}

export function buildWorld(faker: Faker, options: WorldOptions): World {
  const merchants = buildMerchants(faker, options);
  const mailboxes = new Mailboxes();
  const users = generateUsers({ seed: drawSeed(faker), count: options.customers, asOf: options.catalogDate }).users.map((user) => ({
    ...user,
    email: mailboxes.claim(user.email),
  }));
  const customers = users.map((user): Customer => {
    const x = faker.number.float({ max: GRID_SIZE });
    const y = faker.number.float({ max: GRID_SIZE });
    const meanAmount = Math.round(faker.number.float({ min: 5, max: 100 }) * IDR_PER_HANDBOOK_UNIT);
    const reachable = reachableMerchants(merchants, x, y, options.radius);
    const secondMethod = faker.datatype.boolean({ probability: 0.4 })
      ? [faker.helpers.arrayElement(PAYMENT_METHODS.filter((method) => method !== user.defaultPayment))]
      : [];
    return {
      shopper: createShopper(faker, { ...user, country: 'ID' }),
      profile: {
        userId: user.userId,
        x,
        y,
        meanAmount,
        stdAmount: meanAmount / 2,
        meanOrdersPerDay: faker.number.float({ max: 4 }),
        merchantIds: reachable.map((merchant) => merchant.row.merchantId),
        paymentMethods: [user.defaultPayment, ...secondMethod],
      },
      merchants: reachable,
    };
  });
  return { customers, dormant: customers.filter((customer) => customer.profile.meanOrdersPerDay < DORMANT_ORDERS_PER_DAY), merchants, mailboxes };
}

/** Within `radius` of (x, y), as the handbook's available terminals; the nearest merchant when none is that close. */
function reachableMerchants(merchants: readonly Merchant[], x: number, y: number, radius: number): [Merchant, ...Merchant[]] {
  const distance = (merchant: Merchant) => Math.hypot(merchant.profile.x - x, merchant.profile.y - y);
  const within = merchants.filter((merchant) => distance(merchant) < radius);
  if (within.length > 0) return within as [Merchant, ...Merchant[]];
  return [merchants.reduce((nearest, merchant) => (distance(merchant) < distance(nearest) ? merchant : nearest))];
}

function buildMerchants(faker: Faker, options: WorldOptions): Merchant[] {
  const rows = generateMerchants({ seed: drawSeed(faker), count: options.merchants });
  const named = productNames(faker, rows, options.catalogDate);
  let nextProduct = 1;
  return rows.map((row) => {
    const x = faker.number.float({ max: GRID_SIZE });
    const y = faker.number.float({ max: GRID_SIZE });
    const prices = priceLadder(faker);
    const products = named
      .get(row.category)!
      .splice(0, PRODUCTS_PER_MERCHANT)
      .map((product, index): ProductRow => ({ ...product, productId: sequenceId('P', nextProduct++, 6), price: String(prices[index]) }));
    return {
      row,
      profile: { merchantId: row.merchantId, x, y, productIds: products.map((product) => product.productId) },
      products: products as [ProductRow, ...ProductRow[]],
      prices,
    };
  });
}

/** Enough generated product rows of each category for every merchant selling it. */
function productNames(faker: Faker, merchants: readonly MerchantRow[], asOf: Date): Map<ProductCategory, ProductRow[]> {
  const pools = new Map(PRODUCT_CATEGORIES.map((category) => [category, [] as ProductRow[]]));
  const needed = (category: ProductCategory) => merchants.filter((merchant) => merchant.category === category).length * PRODUCTS_PER_MERCHANT;
  while (PRODUCT_CATEGORIES.some((category) => pools.get(category)!.length < needed(category))) {
    for (const product of generateProducts({ seed: drawSeed(faker), count: merchants.length * PRODUCTS_PER_MERCHANT, asOf })) {
      pools.get(product.category)!.push(product);
    }
  }
  return pools;
}

/**
 * PRODUCTS_PER_MERCHANT prices, one in each equal slice of [PRICE_FLOOR_IDR, PRICE_CEILING_IDR] on a log scale, so
 * every merchant sells something close to any amount a customer draws, and something under CARD_TESTING_MAX_IDR.
 */
function priceLadder(faker: Faker): number[] {
  const span = Math.log(PRICE_CEILING_IDR / PRICE_FLOOR_IDR);
  return Array.from({ length: PRODUCTS_PER_MERCHANT }, (_, index) => {
    const price = PRICE_FLOOR_IDR * Math.exp((span * (index + faker.number.float())) / PRODUCTS_PER_MERCHANT);
    return Math.max(PRICE_FLOOR_IDR, Math.round(price / PRICE_STEP_IDR) * PRICE_STEP_IDR);
  });
}

/** The handbook's amount: normal around the customer's mean, a uniform 0–2 × mean when that comes out negative. */
export function drawAmount(faker: Faker, profile: CustomerProfile): number {
  const amount = normal(faker, profile.meanAmount, profile.stdAmount);
  return amount >= 0 ? amount : faker.number.float({ max: 2 * profile.meanAmount });
}

/** The customer's default method most of the time, otherwise the other one they use. */
export function usualPayment(faker: Faker, profile: CustomerProfile): PaymentMethod {
  return faker.datatype.boolean({ probability: 0.85 }) ? profile.paymentMethods[0] : profile.paymentMethods.at(-1)!;
}

/** The merchant's line closest to `amount`: the fewest units (up to 3) within 5 % of it, else the closest of those tried. */
export function lineNear(merchant: Merchant, amount: number): OrderLine {
  let best: OrderLine & { error: number } = { product: merchant.products[0], quantity: 1, error: Infinity };
  for (let quantity = 1; quantity <= MAX_LINE_QUANTITY; quantity++) {
    const index = nearestPrice(merchant.prices, amount / quantity);
    const error = Math.abs(merchant.prices[index]! * quantity - amount) / amount;
    if (error < best.error) best = { product: merchant.products[index]!, quantity, error };
    if (error <= LINE_TOLERANCE) break;
  }
  return { product: best.product, quantity: best.quantity };
}

/** Index of the price nearest `target` in an ascending list. */
function nearestPrice(prices: readonly number[], target: number): number {
  let low = 0;
  let high = prices.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (prices[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low > 0 && target - prices[low - 1]! < prices[low]! - target ? low - 1 : low;
}

/** One unit of one of the merchant's products under CARD_TESTING_MAX_IDR (the ladder's cheapest always is). */
export function cheapLine(faker: Faker, merchant: Merchant): OrderLine {
  const cheap = merchant.products.filter((_, index) => merchant.prices[index]! < CARD_TESTING_MAX_IDR);
  return { product: faker.helpers.arrayElement(cheap), quantity: 1 };
}

/** The merchant's dearest product in enough units to reach HIGH_VALUE_MIN_IDR, sometimes one more. */
export function highValueLine(faker: Faker, merchant: Merchant): OrderLine {
  const top = merchant.products.length - 1;
  const quantity = Math.ceil(HIGH_VALUE_MIN_IDR / merchant.prices[top]!) + faker.number.int(1);
  return { product: merchant.products[top]!, quantity };
}
