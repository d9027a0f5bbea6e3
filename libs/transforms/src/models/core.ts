// Core models: dimensions (including seed B's customer history as SCD type 2), the order and transaction facts, and the labels outcomes give orders.
import { LABEL_MATURITY_DAYS } from '@fraudline/events';
import { acceptedValues, customTest, notNull, relationships, unique } from '../data-tests.js';
import { defineModel, type ModelContext } from '../model.js';
import { OUTCOME_LABELS } from './staging.js';

export const dimUsers = defineModel({
  name: 'dim_users',
  layer: 'core',
  tags: ['seed-a'],
  description: 'One row per user with their current attributes.',
  materialization: { kind: 'table' },
  columns: {
    user_id: 'User key.',
    full_name: 'Given and family name.',
    first_name: 'Given name.',
    last_name: 'Family name.',
    email: 'Current e-mail.',
    default_payment: 'Default payment method.',
    phone: 'Phone number, when given.',
    country: 'ISO 3166-1 alpha-2 country.',
    created_at: 'When the account was created (UTC).',
    signup_date_local: 'Business date the account was created.',
  },
  tests: [notNull('user_id'), unique('user_id')],
  sql: ({ ref, dateIn }) => `SELECT user_id, full_name, first_name, last_name, email, default_payment, phone, country, created_at,
  ${dateIn('created_at')} AS signup_date_local
FROM ${ref('stg_users')}`,
});

export const dimProducts = defineModel({
  name: 'dim_products',
  layer: 'core',
  tags: ['seed-a'],
  description: 'One row per product with its latest name, category and price.',
  materialization: { kind: 'table' },
  columns: {
    product_id: 'Product key.',
    product_name: 'Current name.',
    category: 'Current category.',
    price: 'Current list price (NUMERIC).',
    price_rp: "Price formatted for people, e.g. 'Rp 1.250.000'.",
    updated_at: 'When the current version was written (UTC).',
  },
  tests: [notNull('product_id'), unique('product_id')],
  sql: ({ ref, rupiah }) => `SELECT product_id, product_name, category, price, ${rupiah('price')} AS price_rp, updated_at
FROM ${ref('stg_products')}`,
});

export const fctOrders = defineModel({
  name: 'fct_orders',
  layer: 'core',
  tags: ['seed-a'],
  description: "One row per order with the rules engine's decision, in UTC and in business time.",
  materialization: { kind: 'table' },
  columns: {
    order_id: 'Order key.',
    user_id: 'Buyer.',
    product_id: 'Product ordered.',
    merchant_id: 'Merchant.',
    quantity: 'Units ordered.',
    amount: 'Order amount (NUMERIC).',
    payment_method: 'Payment method.',
    country: 'Country of the order.',
    order_status: "'fraud' or 'genuine' from the decision; NULL while undecided.",
    is_fraud: 'Whether the decision treats the order as fraud.',
    decision: 'approve, review or decline.',
    score: 'Risk score 0–100.',
    ordered_at_utc: 'Event time (TIMESTAMP, UTC).',
    ordered_at_local: 'Event time on the business clock (DATETIME / timestamp without time zone).',
    order_date_local: 'Business date of the order.',
    order_hour_local: 'Business hour of the order, 0–23.',
  },
  tests: [
    notNull('order_id'),
    unique('order_id'),
    relationships('user_id', { model: 'dim_users', field: 'user_id' }),
    relationships('product_id', { model: 'dim_products', field: 'product_id' }),
    notNull('order_status', { severity: 'warn' }),
    acceptedValues('order_status', ['fraud', 'genuine']),
  ],
  sql: ({ ref, datetimeIn, dateIn, hourIn }) => `SELECT
  o.order_id, o.user_id, o.product_id, o.merchant_id, o.quantity, o.amount, o.payment_method, o.country,
  d.status AS order_status, d.is_fraud, d.decision, d.score,
  o.ordered_at AS ordered_at_utc,
  ${datetimeIn('o.ordered_at')} AS ordered_at_local,
  ${dateIn('o.ordered_at')} AS order_date_local,
  ${hourIn('o.ordered_at')} AS order_hour_local
FROM ${ref('stg_orders')} AS o
LEFT JOIN ${ref('stg_decisions')} AS d ON d.order_id = o.order_id`,
});

export const dimCustomer = defineModel({
  name: 'dim_customer',
  layer: 'core',
  tags: ['seed-b'],
  description:
    'Customer history as SCD type 2: a change of a tracked attribute (email, country) between orders opens a new version; versions tile time.',
  materialization: { kind: 'table' },
  columns: {
    customer_key: 'Version key: customer_id#version.',
    customer_id: 'Customer (userId).',
    version: 'Version number, from 1.',
    email: 'E-mail during this version.',
    country: 'Country during this version.',
    valid_from: 'First order time of this version (UTC, inclusive).',
    valid_to: 'Start of the next version (UTC, exclusive); NULL for the current one.',
    is_current: 'Whether this is the current version.',
  },
  tests: [
    notNull('customer_key'),
    unique('customer_key'),
    unique(['customer_id', 'valid_from']),
    customTest('one_current_version', 'every customer has exactly one current version', ({ self, countIf }) =>
      `SELECT customer_id, ${countIf('is_current')} AS current_versions FROM ${self} GROUP BY customer_id HAVING ${countIf('is_current')} <> 1`,
    ),
  ],
  sql: ({ ref, cast }) => {
    const history = 'PARTITION BY customer_id ORDER BY placed_at, transaction_id';
    return `WITH observed AS (
  SELECT customer_id, customer_email AS email, country, placed_at,
    ROW_NUMBER() OVER (${history}) AS observation,
    LAG(customer_email) OVER (${history}) AS previous_email,
    LAG(country) OVER (${history}) AS previous_country
  FROM ${ref('stg_transactions')}
), versioned AS (
  SELECT customer_id, email, country, placed_at,
    SUM(CASE WHEN observation = 1 OR email IS DISTINCT FROM previous_email OR country IS DISTINCT FROM previous_country THEN 1 ELSE 0 END)
      OVER (PARTITION BY customer_id ORDER BY placed_at, observation ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS version
  FROM observed
), versions AS (
  SELECT customer_id, ${cast('version', 'int64')} AS version, MIN(email) AS email, MIN(country) AS country, MIN(placed_at) AS valid_from
  FROM versioned
  GROUP BY customer_id, version
)
SELECT
  customer_id || '#' || ${cast('version', 'string')} AS customer_key,
  customer_id, version, email, country, valid_from,
  LEAD(valid_from) OVER (PARTITION BY customer_id ORDER BY version) AS valid_to,
  LEAD(valid_from) OVER (PARTITION BY customer_id ORDER BY version) IS NULL AS is_current
FROM versions`;
  },
});

export const dimDevice = defineModel({
  name: 'dim_device',
  layer: 'core',
  tags: ['seed-b'],
  description: 'One row per device with its latest attributes.',
  materialization: { kind: 'table' },
  columns: {
    device_id: 'Device key.',
    device_type: 'mobile, desktop or tablet.',
    os: 'Operating system.',
    browser: 'Browser.',
    last_seen_at: 'Event time of its latest order (UTC).',
  },
  tests: [notNull('device_id'), unique('device_id')],
  sql: ({ ref }) => `SELECT device_id, device_type, os, browser, last_seen_at FROM ${ref('stg_devices')}`,
});

export const dimMerchant = defineModel({
  name: 'dim_merchant',
  layer: 'core',
  tags: ['seed-b'],
  description: 'Exactly one row per merchant, with its current category.',
  materialization: { kind: 'table' },
  columns: {
    merchant_id: 'Merchant key.',
    merchant_name: 'Name.',
    category: 'Current category.',
    country: 'ISO 3166-1 alpha-2 country.',
    updated_at: 'When the current version was written (UTC).',
  },
  tests: [notNull('merchant_id'), unique('merchant_id')],
  sql: ({ ref }) => `SELECT merchant_id, merchant_name, category, country, updated_at FROM ${ref('stg_merchants')}`,
});

export const fctTransactions = defineModel({
  name: 'fct_transactions',
  layer: 'core',
  tags: ['seed-b'],
  description:
    "One row per transaction, joined to the customer version valid when it was placed, its device, its merchant and the rules engine's decision.",
  materialization: { kind: 'table' },
  columns: {
    transaction_id: 'Order key.',
    customer_id: 'Customer.',
    customer_key: 'dim_customer version valid at placed_at.',
    merchant_id: 'Merchant.',
    merchant_name: 'Merchant name.',
    merchant_category: 'Current merchant category (from dim_merchant, not from the event).',
    device_id: 'Device.',
    device_type: 'Device type.',
    amount: 'Order amount (NUMERIC).',
    currency: 'ISO 4217 currency.',
    payment_method: 'Payment method.',
    placed_at: 'Event time (UTC).',
    placed_date_local: 'Business date of placed_at.',
    decision: 'approve, review or decline; NULL while undecided.',
    fraud_score: "The decision's risk score (seed B's was random).",
    is_fraud: 'Whether the decision treats the order as fraud.',
  },
  tests: [
    notNull('transaction_id'),
    unique('transaction_id'),
    notNull('customer_key'),
    relationships('customer_key', { model: 'dim_customer', field: 'customer_key' }),
    relationships('merchant_id', { model: 'dim_merchant', field: 'merchant_id' }),
    relationships('device_id', { model: 'dim_device', field: 'device_id' }),
  ],
  sql: ({ ref, dateIn }) => `SELECT
  t.transaction_id, t.customer_id, c.customer_key, t.merchant_id, m.merchant_name, m.category AS merchant_category,
  t.device_id, dv.device_type, t.amount, t.currency, t.payment_method, t.placed_at,
  ${dateIn('t.placed_at')} AS placed_date_local,
  d.decision, d.score AS fraud_score, d.is_fraud
FROM ${ref('stg_transactions')} AS t
LEFT JOIN ${ref('dim_customer')} AS c
  ON c.customer_id = t.customer_id AND t.placed_at >= c.valid_from AND (c.valid_to IS NULL OR t.placed_at < c.valid_to)
LEFT JOIN ${ref('dim_device')} AS dv ON dv.device_id = t.device_id
LEFT JOIN ${ref('dim_merchant')} AS m ON m.merchant_id = t.merchant_id
LEFT JOIN ${ref('stg_decisions')} AS d ON d.order_id = t.transaction_id`,
});

export const fctOrderVerdicts = defineModel({
  name: 'fct_order_verdicts',
  layer: 'core',
  tags: ['outcome-loop'],
  description:
    "Each order's label as known at the run's as-of time, by the OLTP order_verdicts precedence: the latest analyst verdict wins, else fraud if any outcome says fraud, else legitimate. Orders with no labelled outcome are absent.",
  materialization: { kind: 'table' },
  columns: {
    order_id: 'Order key.',
    label: 'fraud or legitimate.',
    kind: 'Kind of the outcome that decided the label.',
    outcome_id: 'That outcome.',
    known_at: 'When that outcome became known (UTC): when the order got this label.',
    fraud_outcomes: 'Outcomes known by the as-of time that said fraud.',
    legitimate_outcomes: 'Outcomes known by the as-of time that said legitimate.',
  },
  tests: [
    notNull('order_id'),
    unique('order_id'),
    notNull('label'),
    acceptedValues('label', OUTCOME_LABELS),
    notNull('known_at'),
    relationships('order_id', { model: 'fct_orders', field: 'order_id' }, { severity: 'warn' }),
  ],
  // The ORDER BY is the view's (libs/db migration 0005): analyst verdicts first, the latest of them first; then fraud
  // before legitimate, the earliest known first; outcome_id breaks ties.
  sql: ({ ref, asOf }) => `SELECT order_id, label, kind, outcome_id, known_at, fraud_outcomes, legitimate_outcomes
FROM (
  SELECT order_id, label, kind, outcome_id, known_at,
    SUM(CASE WHEN label = 'fraud' THEN 1 ELSE 0 END) OVER (PARTITION BY order_id) AS fraud_outcomes,
    SUM(CASE WHEN label = 'legitimate' THEN 1 ELSE 0 END) OVER (PARTITION BY order_id) AS legitimate_outcomes,
    ROW_NUMBER() OVER (
      PARTITION BY order_id
      ORDER BY CASE WHEN kind = 'analyst_verdict' THEN 1 ELSE 0 END DESC, CASE WHEN kind = 'analyst_verdict' THEN known_at END DESC NULLS LAST,
        CASE WHEN label = 'fraud' THEN 1 ELSE 0 END DESC, known_at, outcome_id
    ) AS precedence
  FROM ${ref('stg_order_outcomes')}
  WHERE label IS NOT NULL AND known_at < ${asOf}
) AS ranked
WHERE precedence = 1`,
});

/** Unlabelled orders count as legitimate only after this many days (the same rule as the backtest's). */
export { LABEL_MATURITY_DAYS };

export const LABEL_STATUSES = ['fraud', 'legitimate', 'unknown'] as const;

/** A stream of decisions the quality marts judge against the labels. */
export interface DecisionSource {
  /** What `decision_source` says for its rows. */
  name: string;
  /** One row per (order_id, ruleset_id, ruleset_version): order_id, ruleset_id, ruleset_version, decision, reasons, order_created_at. */
  select: (ctx: ModelContext) => string;
}

/**
 * The decision streams: the live ruleset's decision of each order, and every shadow ruleset version's decision of the
 * orders it saw beside it. Every quality mart reports each stream under its own decision_source.
 */
export const DECISION_SOURCES: readonly DecisionSource[] = [
  {
    name: 'live',
    select: ({ ref }) => `SELECT order_id, ruleset_id, ruleset_version, decision, reasons, order_created_at FROM ${ref('stg_decisions')}`,
  },
  {
    name: 'shadow',
    select: ({ ref }) => `SELECT order_id, ruleset_id, ruleset_version, decision, reasons, order_created_at FROM ${ref('stg_shadow_decisions')}`,
  },
];

export const fctDecisionLabels = defineModel({
  name: 'fct_decision_labels',
  layer: 'core',
  tags: ['outcome-loop'],
  description: `Every decision of every decision source with its order's label as of the run: fraud or legitimate when an outcome says so, legitimate when unlabelled and older than ${LABEL_MATURITY_DAYS} days, otherwise unknown.`,
  materialization: { kind: 'table' },
  columns: {
    decision_source: `Which decisions: ${DECISION_SOURCES.map((source) => source.name).join(', ')}.`,
    order_id: 'Order decided.',
    ruleset_id: 'Ruleset that decided.',
    ruleset_version: 'Version of that ruleset.',
    decision: 'approve, review or decline.',
    is_alert: 'Whether the decision stopped the order for a look (review or decline).',
    reasons: 'JSON array of {ruleId, reason, score, action} that fired.',
    order_created_at: 'Event time of the order (UTC).',
    order_date_local: 'Business date of the order.',
    label: 'fraud or legitimate from fct_order_verdicts; NULL when no outcome labels the order.',
    label_known_at: 'When the order got that label (UTC).',
    label_status: `fraud, legitimate, or unknown (unlabelled and at most ${LABEL_MATURITY_DAYS} days old as of the run).`,
  },
  tests: [
    notNull('decision_source'),
    acceptedValues('decision_source', DECISION_SOURCES.map((source) => source.name)),
    notNull('order_id'),
    unique(['decision_source', 'order_id', 'ruleset_id', 'ruleset_version']),
    acceptedValues('decision', ['approve', 'review', 'decline']),
    notNull('label_status'),
    acceptedValues('label_status', LABEL_STATUSES),
  ],
  sql: (ctx) => {
    const { ref, asOf, addDays, dateIn, cast, literal } = ctx;
    const decisions = DECISION_SOURCES.map(
      (source) => `SELECT ${cast(literal(source.name), 'string')} AS decision_source, order_id, ruleset_id, ruleset_version, decision, reasons, order_created_at
  FROM (${source.select(ctx)}) AS ${source.name}_decisions`,
    ).join('\n  UNION ALL\n  ');
    return `WITH decisions AS (
  ${decisions}
)
SELECT
  d.decision_source, d.order_id, d.ruleset_id, d.ruleset_version, d.decision,
  d.decision IN ('review', 'decline') AS is_alert,
  d.reasons, d.order_created_at,
  ${dateIn('d.order_created_at')} AS order_date_local,
  v.label, v.known_at AS label_known_at,
  CASE
    WHEN v.label IS NOT NULL THEN v.label
    WHEN d.order_created_at < ${addDays(asOf, -LABEL_MATURITY_DAYS)} THEN 'legitimate'
    ELSE 'unknown'
  END AS label_status
FROM decisions AS d
LEFT JOIN ${ref('fct_order_verdicts')} AS v ON v.order_id = d.order_id`;
  },
});

export const coreModels = [dimUsers, dimProducts, fctOrders, dimCustomer, dimDevice, dimMerchant, fctTransactions, fctOrderVerdicts, fctDecisionLabels];
