// Public surface of the generators: catalog rows, the order stream and its fraud ground truth.
export {
  BENCHMARK_FRAUD_PATTERNS,
  generateDetectionBenchmark,
  type BenchmarkPattern,
  type DetectionBenchmark,
  type DetectionBenchmarkOptions,
} from './benchmark/detection-benchmark.js';
export { HIGH_AMOUNT_THRESHOLD_IDR, type Compromise } from './benchmark/handbook.js';
export type { CustomerProfile, MerchantProfile } from './benchmark/world.js';
export { generateDevices, type DeviceProfile, type DeviceType, type GenerateDevicesOptions } from './devices.js';
export { isJakartaNightHour, type InjectedFraudPattern } from './fraud-patterns.js';
export { generateMerchants, type GenerateMerchantsOptions, type MerchantRow } from './merchants.js';
export {
  createOrderGenerator,
  generateOrders,
  type GenerateOrdersOptions,
  type OrderGenerator,
  type OrderGeneratorOptions,
  type OrderProfileName,
  type OrderStreamOptions,
} from './order-generator.js';
export { CARD_TESTING_MAX_IDR, HIGH_VALUE_MIN_IDR, RISKY_WALLET_METHODS } from './order-kit.js';
export type { Catalog, GeneratedOrder } from './order-profile.js';
export { generateOutcomes, type GenerateOutcomesOptions } from './outcomes.js';
export {
  generateProducts,
  PRODUCT_CATEGORIES,
  PRODUCT_NAME_PATTERNS,
  PRODUCT_PRICE_RANGES,
  repriceProducts,
  type GenerateProductsOptions,
  type ProductCategory,
  type ProductRow,
  type RepriceProductsOptions,
} from './products.js';
export type { CatalogLocale } from './random.js';
export { SEED_A_DISTRIBUTIONS } from './seed-a-orders.js';
export { DIURNAL_HOURLY_WEIGHTS, formatTimestamp, jakartaHour, type TimeZoneName } from './time.js';
export { EMAIL_FORMAT_PATTERNS, EMAIL_FORMATS, generateUsers, type EmailFormat, type GeneratedUsers, type GenerateUsersOptions, type UserRow } from './users.js';
