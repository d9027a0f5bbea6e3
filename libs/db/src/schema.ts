// The OLTP schema written once as types: migrations create it and every query is checked against it.
import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable } from 'kysely';

/** numeric comes back from Postgres as a string; we keep it that way so money never passes through a float. */
type Numeric = ColumnType<string, string | number, string | number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedTimestamp = ColumnType<Date, Date | string | undefined, never>;
type UpdatedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  user_id: string;
  first_name: string;
  last_name: string;
  email: string;
  default_payment: string;
  phone: string | null;
  country: string;
  created_at: CreatedTimestamp;
  updated_at: UpdatedTimestamp;
}

export interface ProductsTable {
  product_id: string;
  product_name: string;
  category: string;
  price: Numeric;
  created_at: CreatedTimestamp;
  updated_at: UpdatedTimestamp;
}

export interface MerchantsTable {
  merchant_id: string;
  merchant_name: string;
  category: string;
  country: string;
  created_at: CreatedTimestamp;
  updated_at: UpdatedTimestamp;
}

export interface DevicesTable {
  device_id: string;
  device_type: string;
  os: string;
  browser: string;
  created_at: CreatedTimestamp;
}

export interface OrdersTable {
  order_id: string;
  user_id: string;
  product_id: string;
  merchant_id: string;
  quantity: number;
  unit_price: Numeric;
  amount: Numeric;
  currency: string;
  payment_method: string;
  country: string;
  device_id: string;
  ip: string;
  ip_country: string;
  is_vpn: boolean;
  email: string | null;
  /** When the customer placed the order (event time); daily loads slice on it. */
  created_at: Timestamp;
  ingested_at: CreatedTimestamp;
}

export type Reason = { ruleId: string; reason: string; score: number; action?: 'decline' | 'review' | 'allow' };

export type RuleFailure = { ruleId: string; message: string };

export interface DecisionsTable {
  order_id: string;
  decision: 'approve' | 'review' | 'decline';
  score: number;
  status: 'fraud' | 'genuine';
  is_fraud: boolean;
  reasons: JSONColumnType<Reason[], string, string>;
  /** Rules that failed at run time for this order and counted as not fired; null when none did. */
  rule_failures: ColumnType<RuleFailure[] | null, string | null | undefined, string | null>;
  ruleset_id: string;
  ruleset_version: number;
  /** Milliseconds from event time to the decision, as measured by the decider. */
  latency_ms: Numeric;
  /** The order's event time, copied so a day's decisions load with that day's orders. */
  order_created_at: Timestamp;
  decided_at: CreatedTimestamp;
  /** The order in which this subscriber decided (a hybrid clock in microseconds); a backtest replays in this order. */
  decision_seq: ColumnType<string | null, string | number | null | undefined, never>;
  /** The risk-list version the decision read; null when none was published yet. */
  risk_list_version: ColumnType<number | null, number | null | undefined, never>;
  /** The feature values the ruleset's rules read, by dotted path (e.g. `user.orders1h`): the decision's evidence. */
  features: ColumnType<Record<string, unknown> | null, string | null | undefined, never>;
  /** The scoring model that scored the order (its `model.score`); null when none was live. */
  model_id: ColumnType<string | null, string | null | undefined, never>;
  model_version: ColumnType<number | null, number | null | undefined, never>;
}

/** A trained scoring model (a @fraudline/scoring document); at most one is active. */
export interface ScoringModelsTable {
  model_id: string;
  version: number;
  document: JSONColumnType<Record<string, unknown>, string, string>;
  status: ColumnType<'trained' | 'active' | 'retired', 'trained' | 'active' | 'retired' | undefined, 'trained' | 'active' | 'retired'>;
  created_at: CreatedTimestamp;
  activated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A shadow ruleset's decision of an order, stored beside the live one and without effect on the outcome. */
export interface ShadowDecisionsTable {
  order_id: string;
  ruleset_id: string;
  ruleset_version: number;
  decision: DecisionsTable['decision'];
  score: number;
  reasons: JSONColumnType<Reason[], string, string>;
  rule_failures: ColumnType<RuleFailure[] | null, string | null | undefined, string | null>;
  order_created_at: Timestamp;
  decided_at: CreatedTimestamp;
}

/** Ground truth from the generator: a view of the landed messages' `simulation`, apart from the order so rules never read it. */
export interface OrderLabelsTable {
  order_id: string;
  pattern: string;
  is_fraud: boolean;
}

export interface OrderEventsTable {
  topic: string;
  partition: number;
  offset: ColumnType<string, string | number | bigint, never>;
  message_key: string | null;
  order_id: string;
  /** The message value exactly as received (UTF-8 JSON text; decoding refused anything else). */
  message: ColumnType<string, string, never>;
  received_at: CreatedTimestamp;
}

export interface RejectedEventsTable {
  id: Generated<string>;
  topic: string;
  partition: number;
  offset: ColumnType<string, string | number | bigint, never>;
  message_key: string | null;
  /** The bytes as received (UTF-8, or base64 when not valid text); nothing is dropped. */
  payload: string;
  payload_encoding: 'utf8' | 'base64';
  error_kind: string;
  error: JSONColumnType<{ field: string; message: string }[], string, never>;
  received_at: CreatedTimestamp;
}

/** Lifetime order count and amount per user, kept by a trigger on orders (migration 0002). */
export interface UserOrderTotalsTable {
  user_id: string;
  orders: ColumnType<string, string | number, string | number>;
  total_amount: Numeric;
  amount_squares: Numeric;
  last_order_at: ColumnType<Date | null, string | Date | null, string | Date | null>;
}

/** How many of a user's orders used each device, IP country and payment method (kept by a trigger on orders). */
export interface UserSeenValuesTable {
  user_id: string;
  kind: 'device' | 'ip_country' | 'payment_method';
  value: string;
  orders: ColumnType<string, string | number, string | number>;
}

/** Orders per merchant and UTC day (kept by a trigger on orders). */
export interface MerchantDailyOrdersTable {
  merchant_id: string;
  day: ColumnType<string, string, string>;
  orders: ColumnType<string, string | number, string | number>;
}

/** A fraud-labelled outcome filed under one key of its order (kept by a trigger on order_outcomes). */
export interface FraudReportsTable {
  entity: 'merchant' | 'product' | 'device' | 'ip' | 'email_domain';
  key: string;
  order_id: string;
  /** When the reported order was placed. */
  placed_at: Timestamp;
  known_at: Timestamp;
  recorded_at: Timestamp;
}

export interface RulesetsTable {
  ruleset_id: string;
  version: number;
  /** One version is `active` (it decides); any number are `shadow` (they decide beside it, without effect). */
  status: 'draft' | 'active' | 'shadow' | 'retired';
  document: JSONColumnType<Record<string, unknown>, string, string>;
  created_at: CreatedTimestamp;
  activated_at: Timestamp | null;
}

export interface RiskListTable {
  user_id: string;
  risk_status: 'Blacklist' | 'Watchlist' | 'Good Standing';
  fraud_orders: number;
  total_orders: number;
  published_at: UpdatedTimestamp;
  version: ColumnType<number | null, number | null | undefined, number | null>;
}

/** One published risk list: its entries stay in risk_list_history, so any decision's list can be read again. */
export interface RiskListVersionsTable {
  version: Generated<number>;
  /** What the list was derived from, e.g. `marts.mart_label_risk_list`. */
  source: string;
  entries: number;
  published_at: Timestamp;
}

/** The Blacklist and Watchlist entries of every published version (Good Standing is the default and not kept). */
export interface RiskListHistoryTable {
  version: number;
  user_id: string;
  risk_status: 'Blacklist' | 'Watchlist';
}

export interface LoadLedgerTable {
  table_name: string;
  logical_date: ColumnType<string, string, string>;
  status: 'running' | 'succeeded' | 'failed';
  row_count: ColumnType<string, number | string | null, number | string | null> | null;
  checksum: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  error: string | null;
  attempts: number;
}

export interface OrderOutcomesTable {
  outcome_id: string;
  order_id: string;
  kind: 'chargeback' | 'fraud_refund' | 'analyst_verdict' | 'customer_confirmation';
  /** What the outcome says about the order; null for a chargeback that is a service dispute. */
  label: 'fraud' | 'legitimate' | null;
  amount: Numeric | null;
  occurred_at: Timestamp;
  /** When it became known; point-in-time reads filter on it. */
  known_at: Timestamp;
  source: string | null;
  /** The outcome event as validated. */
  message: JSONColumnType<Record<string, unknown>, string, never>;
  recorded_at: CreatedTimestamp;
}

/** Each labelled order's current label, by the precedence in migration 0005. */
export interface OrderVerdictsView {
  order_id: string;
  label: 'fraud' | 'legitimate';
  kind: OrderOutcomesTable['kind'];
  outcome_id: string;
  known_at: Date;
}

export interface Database {
  users: UsersTable;
  products: ProductsTable;
  merchants: MerchantsTable;
  devices: DevicesTable;
  orders: OrdersTable;
  decisions: DecisionsTable;
  order_labels: OrderLabelsTable;
  order_outcomes: OrderOutcomesTable;
  order_verdicts: OrderVerdictsView;
  'raw.order_events': OrderEventsTable;
  'raw.rejected_events': RejectedEventsTable;
  rulesets: RulesetsTable;
  risk_list: RiskListTable;
  risk_list_versions: RiskListVersionsTable;
  risk_list_history: RiskListHistoryTable;
  shadow_decisions: ShadowDecisionsTable;
  load_ledger: LoadLedgerTable;
  user_order_totals: UserOrderTotalsTable;
  user_seen_values: UserSeenValuesTable;
  fraud_reports: FraudReportsTable;
  merchant_daily_orders: MerchantDailyOrdersTable;
  scoring_models: ScoringModelsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Product = Selectable<ProductsTable>;
export type NewProduct = Insertable<ProductsTable>;
export type Merchant = Selectable<MerchantsTable>;
export type NewMerchant = Insertable<MerchantsTable>;
export type NewDevice = Insertable<DevicesTable>;
export type NewOrder = Insertable<OrdersTable>;
export type NewDecision = Insertable<DecisionsTable>;
export type NewShadowDecision = Insertable<ShadowDecisionsTable>;
export type NewOrderOutcome = Insertable<OrderOutcomesTable>;
export type Ruleset = Selectable<RulesetsTable>;
export type LedgerEntry = Selectable<LoadLedgerTable>;
