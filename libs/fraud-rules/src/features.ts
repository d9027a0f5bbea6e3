// The FeatureSnapshot contract: the only data a rule may read, declared once for TypeScript, CEL and templates.
import type { PaymentMethod } from '@fraudline/events';

export const RISK_STATUSES = ['Blacklist', 'Watchlist', 'Good Standing'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

/** Facts about the order being decided. Amounts are IDR as JS numbers (parsed from the event's exact decimal strings). */
export interface OrderFeatures {
  orderId: string;
  amount: number;
  quantity: number;
  unitPrice: number;
  paymentMethod: PaymentMethod;
  /** Billing country, ISO 3166-1 alpha-2. */
  country: string;
  /** Country the client IP geolocates to. */
  ipCountry: string;
  isVpn: boolean;
  deviceType: string;
  /** Hour of day 0–23 in the business time zone (Asia/Jakarta unless configured). */
  hourLocal: number;
  /** Whole days between account creation and this order; -1 when the account creation time is unknown. */
  accountAgeDays: number;
}

/**
 * The user's earlier orders. Windows are exact event-time intervals [t − W, t) where t is this order's placedAt:
 * this order itself and anything placed at or after t are never counted.
 */
export interface UserFeatures {
  orders10m: number;
  orders1h: number;
  orders24h: number;
  amount10m: number;
  amount1h: number;
  amount24h: number;
  /** Orders with amount < 100,000 IDR in the last hour (card-testing signal). */
  smallOrders1h: number;
  /** Orders known before this one, over the account's whole life. */
  lifetimeOrders: number;
  /** Lifetime average order amount before this order; 0 when there is none. */
  avgAmount: number;
  riskStatus: RiskStatus;
  /** The account has earlier orders and none from this device. */
  newDevice: boolean;
  /** The account has earlier orders and none from an IP in this country. */
  newIpCountry: boolean;
  /** The account has earlier orders and none paid this way. */
  newPaymentMethod: boolean;
  /**
   * How many standard deviations this amount lies above the account's own lifetime mean (negative below); 0 with
   * fewer than 3 earlier orders. The deviation is floored at 10 % of the mean, so an account that always spends the
   * same sum does not divide by zero.
   */
  amountZScore: number;
  /** Hours since the account's latest earlier order (the first order after a long silence shows here); -1 when none is known. */
  hoursSincePrevious: number;
}

/** Earlier orders placed from this device, any user. */
export interface DeviceFeatures {
  /** Distinct users among the device's earlier orders in the last 24 h (this order's user only if seen before). */
  distinctUsers24h: number;
  /** The same over the last hour: a device farm shows here first. */
  distinctUsers1h: number;
  orders1h: number;
  /** Orders from this device reported as fraud (a fraud outcome known in the last 30 days, before this order). */
  fraudReports30d: number;
}

/** Earlier orders placed from this IP address, any user. */
export interface IpFeatures {
  distinctUsers24h: number;
  distinctUsers1h: number;
  orders1h: number;
  /** Orders from this IP reported as fraud in the last 30 days, before this order. */
  fraudReports30d: number;
}

/** Earlier orders placed with this (lower-cased) email; all zero when the order has no email. */
export interface EmailFeatures {
  distinctUsers24h: number;
  distinctUsers1h: number;
  /** Orders with an e-mail at this order's domain reported as fraud in the last 30 days; 0 without an e-mail. */
  domainFraudReports30d: number;
}

/**
 * Entity risk from outcomes: orders at this merchant reported as fraud. A report counts once its outcome is known,
 * in [t − W, t) by the outcome's known time: the label delay is respected, never the order's eventual truth.
 */
export interface MerchantFeatures {
  fraudReports7d: number;
  fraudReports30d: number;
  /** Orders placed at this merchant on the 7 whole UTC days before this order's day. */
  orders7d: number;
  /** Of those orders, how many were reported as fraud before this order. */
  reportedOrders7d: number;
  /** reportedOrders7d / orders7d; 0 when the merchant had no orders then. Falls as soon as the merchant's fraud stops. */
  fraudRate7d: number;
}

/** Orders of this product reported as fraud in the last 30 days, before this order. */
export interface ProductFeatures {
  fraudReports30d: number;
}

/**
 * The learned score of the live model (see @fraudline/scoring), filled in by the decider; 0 and '' while no model is
 * live. `reasons` names the inputs that raised the score most, e.g. "user.newDevice = 1, merchant.fraudRate7d = 0.3".
 */
export interface ModelFeatures {
  /** Probability of fraud, 0–1. */
  score: number;
  reasons: string;
}

/** Everything a rule can see about one order. CEL expressions read it by these exact keys, e.g. `user.orders1h > 5`. */
export interface FeatureSnapshot {
  order: OrderFeatures;
  user: UserFeatures;
  device: DeviceFeatures;
  ip: IpFeatures;
  email: EmailFeatures;
  merchant: MerchantFeatures;
  product: ProductFeatures;
  model: ModelFeatures;
}

export type FeatureGroup = keyof FeatureSnapshot;

/** CEL type of each feature. Every number is a CEL `double`, so arithmetic literals must be written `5.0`; comparisons accept `5`. */
export type CelFieldType = 'double' | 'string' | 'bool';

type FeatureSchema = { readonly [G in FeatureGroup]: { readonly [K in keyof FeatureSnapshot[G]]-?: CelFieldType } };

export const FEATURE_SCHEMA: FeatureSchema = {
  order: {
    orderId: 'string',
    amount: 'double',
    quantity: 'double',
    unitPrice: 'double',
    paymentMethod: 'string',
    country: 'string',
    ipCountry: 'string',
    isVpn: 'bool',
    deviceType: 'string',
    hourLocal: 'double',
    accountAgeDays: 'double',
  },
  user: {
    orders10m: 'double',
    orders1h: 'double',
    orders24h: 'double',
    amount10m: 'double',
    amount1h: 'double',
    amount24h: 'double',
    smallOrders1h: 'double',
    lifetimeOrders: 'double',
    avgAmount: 'double',
    riskStatus: 'string',
    newDevice: 'bool',
    newIpCountry: 'bool',
    newPaymentMethod: 'bool',
    amountZScore: 'double',
    hoursSincePrevious: 'double',
  },
  device: { distinctUsers24h: 'double', distinctUsers1h: 'double', orders1h: 'double', fraudReports30d: 'double' },
  ip: { distinctUsers24h: 'double', distinctUsers1h: 'double', orders1h: 'double', fraudReports30d: 'double' },
  email: { distinctUsers24h: 'double', distinctUsers1h: 'double', domainFraudReports30d: 'double' },
  merchant: { fraudReports7d: 'double', fraudReports30d: 'double', orders7d: 'double', reportedOrders7d: 'double', fraudRate7d: 'double' },
  product: { fraudReports30d: 'double' },
  model: { score: 'double', reasons: 'string' },
};

/** A snapshot's model group before a model has scored it. */
export const UNSCORED: ModelFeatures = Object.freeze({ score: 0, reasons: '' });

export const FEATURE_GROUPS = Object.keys(FEATURE_SCHEMA) as FeatureGroup[];

/** Orders below this amount (IDR) count as "small" for the card-testing signal. */
export const SMALL_ORDER_AMOUNT = 100_000;
