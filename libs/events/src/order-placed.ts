// The OrderPlaced v1 contract: one zod schema is both the runtime validator and the TypeScript type.
import { z } from 'zod';

export const PAYMENT_METHODS = ['Bank Transfer', 'Paylater', 'Credit Card', 'Gopay', 'OVO', 'DANA'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * The generators' ground-truth patterns. The first five are the marketplace patterns of the everyday generator; the
 * detection benchmark adds the handbook's three scenarios (high_amount, compromised_merchant standing in for its
 * compromised terminals, compromised_customer) and the device farm.
 */
export const FRAUD_PATTERNS = [
  'none',
  'velocity_burst',
  'account_takeover',
  'card_testing',
  'night_high_value',
  'geo_mismatch',
  'high_amount',
  'compromised_merchant',
  'compromised_customer',
  'device_farm',
] as const;
export type FraudPattern = (typeof FRAUD_PATTERNS)[number];

/** Seed A wrote amounts as "Rp.125,000,000"; we accept that legacy spelling and store the plain decimal. */
const LEGACY_RUPIAH = /^Rp\.?\s?\d{1,3}(,\d{3})*$/;

/** An exact, non-negative decimal with at most 2 fraction digits, never a float. */
export const decimalString = z
  .string()
  .transform((value) => (LEGACY_RUPIAH.test(value) ? value.replace(/\D/g, '') : value))
  .pipe(z.string().regex(/^\d{1,18}(\.\d{1,2})?$/, 'must be a non-negative decimal string with at most 2 decimals'));

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code');

export const deviceSchema = z.object({
  deviceId: z.string().min(1),
  ip: z.union([z.ipv4(), z.ipv6()]),
  ipCountry: countryCode,
  deviceType: z.enum(['mobile', 'desktop', 'tablet']),
  os: z.string().min(1),
  browser: z.string().min(1),
  isVpn: z.boolean(),
});

/** Seed B's customer and behaviour signals; every one is optional because not every storefront has them. */
export const customerSchema = z.object({
  email: z.email(),
  phone: z.string().optional(),
  accountCreatedAt: z.iso.datetime({ offset: true }).optional(),
  loginAttempts24h: z.number().int().nonnegative().optional(),
  failedLogins24h: z.number().int().nonnegative().optional(),
  passwordChangedRecently: z.boolean().optional(),
  shippingAddressMismatch: z.boolean().optional(),
  previousFraud: z.boolean().optional(),
});

export const commerceSchema = z.object({
  couponCode: z.string().optional(),
  promotionId: z.string().optional(),
  merchantCategory: z.string().optional(),
  sessionId: z.string().optional(),
  cartValue: decimalString.optional(),
  referrer: z.string().optional(),
  browserFingerprint: z.string().optional(),
});

/** Ground truth from the generator. Only evaluation reads it; the rules engine never sees it. */
export const simulationSchema = z.object({
  pattern: z.enum(FRAUD_PATTERNS),
  isFraud: z.boolean(),
});

export const orderPlacedV1Schema = z.object({
  type: z.literal('OrderPlaced'),
  version: z.literal(1),
  orderId: z.uuid({ version: 'v7' }),
  userId: z.string().min(1).max(64),
  productId: z.string().min(1).max(64),
  merchantId: z.string().min(1).max(64),
  quantity: z.number().int().positive().max(100_000),
  unitPrice: decimalString,
  amount: decimalString,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
    .default('IDR'),
  paymentMethod: z.enum(PAYMENT_METHODS),
  country: countryCode,
  placedAt: z.iso.datetime({ offset: true, precision: undefined }),
  device: deviceSchema,
  customer: customerSchema.optional(),
  commerce: commerceSchema.optional(),
  simulation: simulationSchema.optional(),
});

export type OrderPlacedV1 = z.output<typeof orderPlacedV1Schema>;
/** What a producer may send: defaults such as currency can be left out. */
export type OrderPlacedV1Input = z.input<typeof orderPlacedV1Schema>;
export type OrderPlaced = OrderPlacedV1;
