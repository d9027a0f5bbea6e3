// Marts: seed A's fraud marts (the product analysts use), daily fraud KPIs, seed B's customer fraud summary, and the outcome loop's risk list, rule quality and shadow comparison.
import { acceptedRange, acceptedValues, customTest, notNull, relationships, unique } from '../data-tests.js';
import { defineModel } from '../model.js';
import { DECISION_SOURCES, LABEL_MATURITY_DAYS } from './core.js';
import { PAYMENT_METHODS } from './staging.js';

/** seed A's blacklist rule: 3 or more fraud orders blacklist a user, any fraud order puts them on the watchlist. */
export const BLACKLIST_FRAUD_ORDERS = 3;
export const USER_STATUSES = ['Blacklist', 'Watchlist', 'Good Standing'] as const;

export const martUserFraudStatus = defineModel({
  name: 'mart_user_fraud_status',
  layer: 'marts',
  tags: ['seed-a'],
  description: 'Every user (including those without orders) with order and fraud totals and a status: Blacklist, Watchlist or Good Standing.',
  materialization: { kind: 'table' },
  columns: {
    user_id: 'User key.',
    full_name: 'Given and family name.',
    total_orders: 'Orders placed.',
    fraud_orders: 'Orders decided as fraud.',
    total_purchasing: 'Sum of the amounts of all orders (NUMERIC).',
    total_fraud_loss: 'Sum of the amounts of fraud orders (NUMERIC).',
    total_purchasing_rp: 'total_purchasing formatted, e.g. Rp 1.250.000.',
    total_fraud_loss_rp: 'total_fraud_loss formatted.',
    user_status: `Blacklist (${BLACKLIST_FRAUD_ORDERS}+ fraud orders), Watchlist (1+), otherwise Good Standing.`,
  },
  tests: [
    notNull('user_id'),
    unique('user_id'),
    acceptedValues('user_status', USER_STATUSES),
    customTest('fraud_within_totals', 'fraud orders and loss never exceed the totals', ({ self }) =>
      `SELECT * FROM ${self} WHERE fraud_orders > total_orders OR total_fraud_loss > total_purchasing`,
    ),
  ],
  sql: ({ ref, countIf, sumIf, rupiah }) => `SELECT
  u.user_id, u.full_name,
  COALESCE(o.total_orders, 0) AS total_orders,
  COALESCE(o.fraud_orders, 0) AS fraud_orders,
  COALESCE(o.total_purchasing, 0) AS total_purchasing,
  COALESCE(o.total_fraud_loss, 0) AS total_fraud_loss,
  ${rupiah('COALESCE(o.total_purchasing, 0)')} AS total_purchasing_rp,
  ${rupiah('COALESCE(o.total_fraud_loss, 0)')} AS total_fraud_loss_rp,
  CASE
    WHEN COALESCE(o.fraud_orders, 0) >= ${BLACKLIST_FRAUD_ORDERS} THEN 'Blacklist'
    WHEN COALESCE(o.fraud_orders, 0) > 0 THEN 'Watchlist'
    ELSE 'Good Standing'
  END AS user_status
FROM ${ref('dim_users')} AS u
LEFT JOIN (
  SELECT user_id, COUNT(*) AS total_orders, ${countIf('is_fraud')} AS fraud_orders,
    SUM(amount) AS total_purchasing, ${sumIf('amount', 'is_fraud')} AS total_fraud_loss
  FROM ${ref('fct_orders')}
  GROUP BY user_id
) AS o ON o.user_id = u.user_id`,
});

export const martMostFraudulentUsers = defineModel({
  name: 'mart_most_fraudulent_users',
  layer: 'marts',
  tags: ['seed-a'],
  description: 'Users with at least one fraud order, ranked by fraud orders, then total orders (descending), then user_id.',
  materialization: { kind: 'table' },
  columns: {
    fraud_rank: 'Rank, from 1; ties broken by user_id so it is deterministic.',
    user_id: 'User key.',
    full_name: 'Given and family name.',
    fraud_orders: 'Orders decided as fraud.',
    total_orders: 'Orders placed.',
    total_fraud_loss: 'Sum of the amounts of fraud orders (NUMERIC).',
    user_status: 'Blacklist or Watchlist.',
  },
  tests: [
    unique('fraud_rank'),
    unique('user_id'),
    acceptedRange('fraud_orders', { min: 1 }),
    relationships('user_id', { model: 'mart_user_fraud_status', field: 'user_id' }),
  ],
  sql: ({ ref }) => `SELECT
  ROW_NUMBER() OVER (ORDER BY fraud_orders DESC, total_orders DESC, user_id) AS fraud_rank,
  user_id, full_name, fraud_orders, total_orders, total_fraud_loss, user_status
FROM ${ref('mart_user_fraud_status')}
WHERE fraud_orders > 0`,
});

/** seed A's critical window: orders placed from 00:00 to 04:59:59 business time. */
export const CRITICAL_HOURS = { from: 0, toExclusive: 5 } as const;

export const martPaymentFraudCriticalTime = defineModel({
  name: 'mart_payment_fraud_critical_time',
  layer: 'marts',
  tags: ['seed-a'],
  description: 'Per payment method, the orders placed 00:00–04:59 business time and how many of them were fraud.',
  materialization: { kind: 'table' },
  columns: {
    payment_method: 'Payment method.',
    total_orders: 'Orders placed in the critical window.',
    genuine_orders: 'Of those, orders decided genuine.',
    fraud_orders: 'Of those, orders decided fraud.',
    fraud_pct: 'fraud_orders / total_orders × 100 (NUMERIC, 2 decimals).',
  },
  tests: [unique('payment_method'), acceptedValues('payment_method', PAYMENT_METHODS), acceptedRange('fraud_pct', { min: 0, max: 100 })],
  sql: ({ ref, countIf, percent }) => `SELECT
  payment_method,
  COUNT(*) AS total_orders,
  ${countIf("order_status = 'genuine'")} AS genuine_orders,
  ${countIf("order_status = 'fraud'")} AS fraud_orders,
  ${percent(countIf("order_status = 'fraud'"), 'COUNT(*)')} AS fraud_pct
FROM ${ref('fct_orders')}
WHERE order_hour_local >= ${CRITICAL_HOURS.from} AND order_hour_local < ${CRITICAL_HOURS.toExclusive}
GROUP BY payment_method`,
});

export const martUserProductHabit = defineModel({
  name: 'mart_user_product_habit',
  layer: 'marts',
  tags: ['seed-a'],
  description: 'Per user and product: orders, genuine and fraud orders, and the latest transaction.',
  materialization: { kind: 'table' },
  columns: {
    user_id: 'User key.',
    user_full_name: 'Given and family name of the user.',
    product_id: 'Product key.',
    product_name: 'Current product name.',
    total_orders: 'Orders of this product by this user.',
    genuine_orders: 'Of those, decided genuine.',
    fraud_orders: 'Of those, decided fraud.',
    latest_transaction: 'Event time of the latest of those orders (UTC).',
  },
  tests: [unique(['user_id', 'product_id']), notNull('product_name')],
  sql: ({ ref, countIf }) => `SELECT
  o.user_id, u.full_name AS user_full_name, o.product_id, p.product_name,
  COUNT(*) AS total_orders,
  ${countIf("o.order_status = 'genuine'")} AS genuine_orders,
  ${countIf("o.order_status = 'fraud'")} AS fraud_orders,
  MAX(o.ordered_at_utc) AS latest_transaction
FROM ${ref('fct_orders')} AS o
LEFT JOIN ${ref('dim_users')} AS u ON u.user_id = o.user_id
LEFT JOIN ${ref('dim_products')} AS p ON p.product_id = o.product_id
GROUP BY o.user_id, u.full_name, o.product_id, p.product_name`,
});

export const martProductPaymentMethod = defineModel({
  name: 'mart_product_payment_method',
  layer: 'marts',
  tags: ['seed-a'],
  description: 'Per product and payment method: orders and amounts, split into genuine and fraud.',
  materialization: { kind: 'table' },
  columns: {
    product_id: 'Product key.',
    product_name: 'Current product name.',
    payment_method: 'Payment method.',
    order_count: 'Orders.',
    total_amount: 'Sum of their amounts (NUMERIC).',
    genuine_count: 'Orders decided genuine.',
    genuine_amount: 'Sum of their amounts.',
    fraud_count: 'Orders decided fraud.',
    fraud_amount: 'Sum of their amounts.',
  },
  tests: [unique(['product_id', 'payment_method'])],
  sql: ({ ref, countIf, sumIf }) => `SELECT
  o.product_id, p.product_name, o.payment_method,
  COUNT(*) AS order_count,
  SUM(o.amount) AS total_amount,
  ${countIf("o.order_status = 'genuine'")} AS genuine_count,
  ${sumIf('o.amount', "o.order_status = 'genuine'")} AS genuine_amount,
  ${countIf("o.order_status = 'fraud'")} AS fraud_count,
  ${sumIf('o.amount', "o.order_status = 'fraud'")} AS fraud_amount
FROM ${ref('fct_orders')} AS o
LEFT JOIN ${ref('dim_products')} AS p ON p.product_id = o.product_id
GROUP BY o.product_id, p.product_name, o.payment_method`,
});

export const martDailyReasonCounts = defineModel({
  name: 'mart_daily_reason_counts',
  layer: 'marts',
  tags: ['seed-a'],
  description: 'Per business day and rule: how many decisions the rule fired in, ranked within the day.',
  materialization: { kind: 'table' },
  columns: {
    order_date_local: 'Business date of the orders.',
    rule_id: 'Rule that fired.',
    reason_count: 'Decisions it fired in.',
    rank_in_day: 'Rank by count (descending), then rule_id.',
  },
  tests: [unique(['order_date_local', 'rule_id']), unique(['order_date_local', 'rank_in_day']), notNull('rule_id')],
  sql: ({ ref, dateIn, jsonValue, crossJoinJsonArray }) => `SELECT
  order_date_local, rule_id, reason_count,
  ROW_NUMBER() OVER (PARTITION BY order_date_local ORDER BY reason_count DESC, rule_id) AS rank_in_day
FROM (
  SELECT ${dateIn('d.order_created_at')} AS order_date_local, ${jsonValue('reason', 'ruleId')} AS rule_id, COUNT(*) AS reason_count
  FROM ${ref('stg_decisions')} AS d
  ${crossJoinJsonArray('d.reasons', 'reason')}
  GROUP BY order_date_local, rule_id
) AS counted`,
});

export const TOP_REASONS = 3;

export const martDailyFraudKpis = defineModel({
  name: 'mart_daily_fraud_kpis',
  layer: 'marts',
  tags: ['seed-a'],
  description: `Per business day: orders by decision, fraud rate, amount at risk and the top ${TOP_REASONS} rules.`,
  materialization: { kind: 'table' },
  columns: {
    order_date_local: 'Business date.',
    week_start: 'Monday of its ISO week.',
    orders: 'Orders placed.',
    declined: 'Orders declined.',
    reviewed: 'Orders sent to review.',
    approved: 'Orders approved.',
    fraud_orders: 'Orders decided as fraud.',
    fraud_rate: 'fraud_orders / orders (NUMERIC, 4 decimals).',
    amount_at_risk: 'Sum of the amounts of declined and reviewed orders (NUMERIC).',
    amount_at_risk_rp: 'amount_at_risk formatted.',
    top_reasons: `The ${TOP_REASONS} most frequent rules as 'rule:count, ...' (ties by rule id); empty when none fired.`,
  },
  tests: [notNull('order_date_local'), unique('order_date_local'), acceptedRange('fraud_rate', { min: 0, max: 1 })],
  sql: ({ ref, countIf, sumIf, safeDivide, dateTrunc, rupiah, cast }) => `SELECT
  k.order_date_local, ${dateTrunc('k.order_date_local', 'week')} AS week_start,
  k.orders, k.declined, k.reviewed, k.approved, k.fraud_orders,
  ROUND(${safeDivide('k.fraud_orders', 'k.orders')}, 4) AS fraud_rate,
  k.amount_at_risk, ${rupiah('k.amount_at_risk')} AS amount_at_risk_rp,
  COALESCE(r.top_reasons, '') AS top_reasons
FROM (
  SELECT order_date_local, COUNT(*) AS orders,
    ${countIf("decision = 'decline'")} AS declined,
    ${countIf("decision = 'review'")} AS reviewed,
    ${countIf("decision = 'approve'")} AS approved,
    ${countIf('is_fraud')} AS fraud_orders,
    ${sumIf('amount', "decision IN ('decline', 'review')")} AS amount_at_risk
  FROM ${ref('fct_orders')}
  GROUP BY order_date_local
) AS k
LEFT JOIN (
  SELECT order_date_local, STRING_AGG(rule_id || ':' || ${cast('reason_count', 'string')}, ', ' ORDER BY rank_in_day) AS top_reasons
  FROM ${ref('mart_daily_reason_counts')}
  WHERE rank_in_day <= ${TOP_REASONS}
  GROUP BY order_date_local
) AS r ON r.order_date_local = k.order_date_local`,
});

export const vwCustomerFraudSummary = defineModel({
  name: 'vw_customer_fraud_summary',
  layer: 'marts',
  tags: ['seed-b'],
  description: 'Per customer: transactions, fraud transactions, average fraud score and the latest transaction (a view).',
  materialization: { kind: 'view' },
  columns: {
    customer_id: 'Customer.',
    total_transactions: 'Transactions.',
    total_fraud: 'Transactions decided as fraud.',
    avg_fraud_score: 'Average decision score (NUMERIC, 2 decimals).',
    last_transaction_at: 'Event time of the latest transaction (UTC).',
  },
  tests: [notNull('customer_id'), unique('customer_id')],
  sql: ({ ref, countIf, cast }) => `SELECT
  customer_id,
  COUNT(*) AS total_transactions,
  ${countIf('is_fraud')} AS total_fraud,
  ROUND(AVG(${cast('fraud_score', 'numeric')}), 2) AS avg_fraud_score,
  MAX(placed_at) AS last_transaction_at
FROM ${ref('fct_transactions')}
GROUP BY customer_id`,
});

/**
 * The outcome loop's risk list counts orders labelled fraud by outcomes (chargebacks, fraud refunds, analyst verdicts),
 * never the rules' own declines, so the engine cannot blacklist a user on its own say-so: this many confirmed fraud
 * orders blacklist a user (decline on the stream) ...
 */
export const LABEL_BLACKLIST_FRAUD_ORDERS = 2;
/** ... and this many (below the blacklist threshold) put them on the watchlist (review on the stream). */
export const LABEL_WATCHLIST_FRAUD_ORDERS = 1;

export const martLabelRiskList = defineModel({
  name: 'mart_label_risk_list',
  layer: 'marts',
  tags: ['outcome-loop'],
  description: `Every user with their orders labelled fraud by outcomes as of the run (never by decisions) and the risk status published to the OLTP risk list: Blacklist (${LABEL_BLACKLIST_FRAUD_ORDERS}+ fraud orders), Watchlist (${LABEL_WATCHLIST_FRAUD_ORDERS}+), otherwise Good Standing.`,
  materialization: { kind: 'table' },
  columns: {
    user_id: 'User key.',
    full_name: 'Given and family name.',
    total_orders: 'Orders placed.',
    labelled_orders: 'Of those, orders an outcome labelled (fraud or legitimate) by the as-of time.',
    fraud_orders: 'Of those, orders labelled fraud.',
    last_fraud_known_at: 'When the latest of those fraud labels became known (UTC); NULL without one.',
    risk_status: `Blacklist (${LABEL_BLACKLIST_FRAUD_ORDERS}+ orders labelled fraud), Watchlist (${LABEL_WATCHLIST_FRAUD_ORDERS}+), otherwise Good Standing.`,
  },
  tests: [
    notNull('user_id'),
    unique('user_id'),
    notNull('risk_status'),
    acceptedValues('risk_status', USER_STATUSES),
    customTest('labels_within_orders', 'fraud orders never exceed labelled orders, nor labelled orders the orders placed', ({ self }) =>
      `SELECT * FROM ${self} WHERE fraud_orders > labelled_orders OR labelled_orders > total_orders`,
    ),
  ],
  sql: ({ ref, countIf }) => `SELECT
  u.user_id, u.full_name,
  COALESCE(o.total_orders, 0) AS total_orders,
  COALESCE(l.labelled_orders, 0) AS labelled_orders,
  COALESCE(l.fraud_orders, 0) AS fraud_orders,
  l.last_fraud_known_at,
  CASE
    WHEN COALESCE(l.fraud_orders, 0) >= ${LABEL_BLACKLIST_FRAUD_ORDERS} THEN 'Blacklist'
    WHEN COALESCE(l.fraud_orders, 0) >= ${LABEL_WATCHLIST_FRAUD_ORDERS} THEN 'Watchlist'
    ELSE 'Good Standing'
  END AS risk_status
FROM ${ref('dim_users')} AS u
LEFT JOIN (
  SELECT user_id, COUNT(*) AS total_orders FROM ${ref('fct_orders')} GROUP BY user_id
) AS o ON o.user_id = u.user_id
LEFT JOIN (
  SELECT f.user_id, COUNT(*) AS labelled_orders, ${countIf("v.label = 'fraud'")} AS fraud_orders,
    MAX(CASE WHEN v.label = 'fraud' THEN v.known_at END) AS last_fraud_known_at
  FROM ${ref('fct_order_verdicts')} AS v
  JOIN ${ref('fct_orders')} AS f ON f.order_id = v.order_id
  GROUP BY f.user_id
) AS l ON l.user_id = u.user_id`,
});

/** The grain the quality marts share: a business day and one ruleset version of one decision source. */
const QUALITY_GRAIN = ['order_date_local', 'decision_source', 'ruleset_id', 'ruleset_version'] as const;

export const martRuleQualityDaily = defineModel({
  name: 'mart_rule_quality_daily',
  layer: 'marts',
  tags: ['outcome-loop'],
  description: `Per business day, decision source, ruleset version and rule: how often the rule fired and on orders labelled fraud, legitimate or not yet known (unlabelled orders count as legitimate after ${LABEL_MATURITY_DAYS} days), and its precision.`,
  materialization: { kind: 'table' },
  columns: {
    order_date_local: 'Business date of the orders.',
    decision_source: `Which decisions: ${DECISION_SOURCES.map((source) => source.name).join(' or ')}.`,
    ruleset_id: 'Ruleset the rule belongs to.',
    ruleset_version: 'Version of that ruleset.',
    rule_id: 'Rule that fired.',
    fires: 'Decisions it fired in.',
    fraud_fires: 'Of those, on orders labelled fraud.',
    legitimate_fires: `Of those, on orders labelled legitimate, or unlabelled and older than ${LABEL_MATURITY_DAYS} days.`,
    unknown_fires: 'Of those, on orders whose label is not known yet.',
    precision: 'fraud_fires / (fraud_fires + legitimate_fires) (NUMERIC, 4 decimals); NULL while none is judged.',
  },
  tests: [
    unique([...QUALITY_GRAIN, 'rule_id']),
    notNull('order_date_local'),
    notNull('rule_id'),
    acceptedRange('precision', { min: 0, max: 1 }),
    customTest('fires_add_up', 'every fire is on a fraud, legitimate or unknown order', ({ self }) =>
      `SELECT * FROM ${self} WHERE fires <> fraud_fires + legitimate_fires + unknown_fires`,
    ),
  ],
  sql: ({ ref, countIf, safeDivide, jsonValue, crossJoinJsonArray }) => `SELECT
  ${QUALITY_GRAIN.join(', ')}, rule_id, fires, fraud_fires, legitimate_fires, unknown_fires,
  ROUND(${safeDivide('fraud_fires', 'fraud_fires + legitimate_fires')}, 4) AS precision
FROM (
  SELECT ${QUALITY_GRAIN.join(', ')}, rule_id,
    COUNT(*) AS fires,
    ${countIf("label_status = 'fraud'")} AS fraud_fires,
    ${countIf("label_status = 'legitimate'")} AS legitimate_fires,
    ${countIf("label_status = 'unknown'")} AS unknown_fires
  FROM (
    SELECT ${QUALITY_GRAIN.map((column) => `d.${column}`).join(', ')}, ${jsonValue('reason', 'ruleId')} AS rule_id, d.label_status
    FROM ${ref('fct_decision_labels')} AS d
    ${crossJoinJsonArray('d.reasons', 'reason')}
  ) AS fired
  GROUP BY ${QUALITY_GRAIN.join(', ')}, rule_id
) AS counted`,
});

export const martRulesetQualityDaily = defineModel({
  name: 'mart_ruleset_quality_daily',
  layer: 'marts',
  tags: ['outcome-loop'],
  description: `Per business day, decision source and ruleset version: orders, alerts (review or decline) and the confusion matrix against the labels as of the run, with precision and recall; unlabelled orders count as legitimate after ${LABEL_MATURITY_DAYS} days, before that as unknown.`,
  materialization: { kind: 'table' },
  columns: {
    order_date_local: 'Business date of the orders.',
    decision_source: `Which decisions: ${DECISION_SOURCES.map((source) => source.name).join(' or ')}.`,
    ruleset_id: 'Ruleset that decided.',
    ruleset_version: 'Version of that ruleset.',
    orders: 'Orders decided.',
    alerts: 'Orders reviewed or declined.',
    alert_rate: 'alerts / orders (NUMERIC, 4 decimals).',
    true_positives: 'Alerts on orders labelled fraud.',
    false_positives: 'Alerts on orders labelled legitimate (or unlabelled and old enough).',
    false_negatives: 'Approved orders labelled fraud.',
    true_negatives: 'Approved orders labelled legitimate (or unlabelled and old enough).',
    unknown_orders: 'Orders, alerted or not, whose label is not known yet.',
    precision: 'true_positives / (true_positives + false_positives) (NUMERIC, 4 decimals); NULL while no alert is judged.',
    recall: 'true_positives / (true_positives + false_negatives) (NUMERIC, 4 decimals); NULL while no fraud is known.',
  },
  tests: [
    unique([...QUALITY_GRAIN]),
    notNull('order_date_local'),
    acceptedRange('alert_rate', { min: 0, max: 1 }),
    acceptedRange('precision', { min: 0, max: 1 }),
    acceptedRange('recall', { min: 0, max: 1 }),
    customTest('orders_add_up', 'every order is a true or false positive or negative, or unknown', ({ self }) =>
      `SELECT * FROM ${self} WHERE orders <> true_positives + false_positives + false_negatives + true_negatives + unknown_orders OR alerts < true_positives + false_positives`,
    ),
  ],
  sql: ({ ref, countIf, safeDivide }) => `SELECT
  ${QUALITY_GRAIN.join(', ')}, orders, alerts,
  ROUND(${safeDivide('alerts', 'orders')}, 4) AS alert_rate,
  true_positives, false_positives, false_negatives, true_negatives, unknown_orders,
  ROUND(${safeDivide('true_positives', 'true_positives + false_positives')}, 4) AS precision,
  ROUND(${safeDivide('true_positives', 'true_positives + false_negatives')}, 4) AS recall
FROM (
  SELECT ${QUALITY_GRAIN.join(', ')},
    COUNT(*) AS orders,
    ${countIf('is_alert')} AS alerts,
    ${countIf("is_alert AND label_status = 'fraud'")} AS true_positives,
    ${countIf("is_alert AND label_status = 'legitimate'")} AS false_positives,
    ${countIf("NOT is_alert AND label_status = 'fraud'")} AS false_negatives,
    ${countIf("NOT is_alert AND label_status = 'legitimate'")} AS true_negatives,
    ${countIf("label_status = 'unknown'")} AS unknown_orders
  FROM ${ref('fct_decision_labels')}
  GROUP BY ${QUALITY_GRAIN.join(', ')}
) AS counted`,
});

/** The grain of the shadow comparison: a business day, the live ruleset version and one shadow ruleset version beside it. */
const SHADOW_COMPARISON_GRAIN = ['order_date_local', 'live_ruleset_id', 'live_ruleset_version', 'shadow_ruleset_id', 'shadow_ruleset_version'] as const;

export const martShadowComparisonDaily = defineModel({
  name: 'mart_shadow_comparison_daily',
  layer: 'marts',
  tags: ['outcome-loop'],
  description: `Per business day, live ruleset version and shadow ruleset version, over the orders both decided: how often they agree, which orders only one of them flags (review or decline), each side's precision against the labels as of the run (unlabelled orders count as legitimate after ${LABEL_MATURITY_DAYS} days, before that as unknown), and the fraud each catches alone.`,
  materialization: { kind: 'table' },
  columns: {
    order_date_local: 'Business date of the orders.',
    live_ruleset_id: 'Live ruleset that decided.',
    live_ruleset_version: 'Version of that ruleset.',
    shadow_ruleset_id: 'Shadow ruleset that decided the same orders beside it.',
    shadow_ruleset_version: 'Version of that ruleset.',
    orders: 'Orders decided by both (an order the shadow ruleset did not see is not counted).',
    agreements: 'Of those, orders both gave the same decision (approve, review or decline).',
    agreement_rate: 'agreements / orders (NUMERIC, 4 decimals).',
    both_flag: 'Orders both flagged (review or decline, not necessarily the same).',
    only_live: 'Orders the live ruleset flagged and the shadow one approved.',
    only_shadow: 'Orders the shadow ruleset flagged and the live one approved.',
    neither: 'Orders both approved.',
    live_true_positives: 'Orders the live ruleset flagged that are labelled fraud.',
    live_false_positives: `Orders the live ruleset flagged that are labelled legitimate (or unlabelled and older than ${LABEL_MATURITY_DAYS} days).`,
    live_precision: 'live_true_positives / (live_true_positives + live_false_positives) (NUMERIC, 4 decimals); NULL while no live flag is judged.',
    shadow_true_positives: 'Orders the shadow ruleset flagged that are labelled fraud.',
    shadow_false_positives: `Orders the shadow ruleset flagged that are labelled legitimate (or unlabelled and older than ${LABEL_MATURITY_DAYS} days).`,
    shadow_precision: 'shadow_true_positives / (shadow_true_positives + shadow_false_positives) (NUMERIC, 4 decimals); NULL while no shadow flag is judged.',
    only_live_fraud: 'Orders labelled fraud that only the live ruleset flagged: fraud the shadow ruleset would have let through.',
    only_shadow_fraud: 'Orders labelled fraud that only the shadow ruleset flagged: fraud it would have caught and the live one let through.',
    unknown_orders: 'Orders whose label is not known yet; they count in neither precision.',
  },
  tests: [
    ...SHADOW_COMPARISON_GRAIN.map((column) => notNull(column)),
    unique([...SHADOW_COMPARISON_GRAIN]),
    acceptedRange('agreement_rate', { min: 0, max: 1 }),
    acceptedRange('live_precision', { min: 0, max: 1 }),
    acceptedRange('shadow_precision', { min: 0, max: 1 }),
    customTest('orders_add_up', 'every order is flagged by both, by one side only or by neither, and agreeing orders are flagged alike', ({ self }) =>
      `SELECT * FROM ${self} WHERE both_flag + only_live + only_shadow + neither <> orders OR agreements > both_flag + neither OR unknown_orders > orders`,
    ),
    customTest('judged_within_flags', "each side's judged flags and the fraud it catches alone stay within its flags", ({ self }) =>
      `SELECT * FROM ${self}
WHERE live_true_positives + live_false_positives > both_flag + only_live OR shadow_true_positives + shadow_false_positives > both_flag + only_shadow
  OR only_live_fraud > only_live OR only_live_fraud > live_true_positives OR only_shadow_fraud > only_shadow OR only_shadow_fraud > shadow_true_positives`,
    ),
  ],
  // Both rows of an order carry the order's label status; each side is judged on its own row.
  sql: ({ ref, countIf, safeDivide }) => `SELECT
  ${SHADOW_COMPARISON_GRAIN.join(', ')},
  orders, agreements,
  ROUND(${safeDivide('agreements', 'orders')}, 4) AS agreement_rate,
  both_flag, only_live, only_shadow, neither,
  live_true_positives, live_false_positives,
  ROUND(${safeDivide('live_true_positives', 'live_true_positives + live_false_positives')}, 4) AS live_precision,
  shadow_true_positives, shadow_false_positives,
  ROUND(${safeDivide('shadow_true_positives', 'shadow_true_positives + shadow_false_positives')}, 4) AS shadow_precision,
  only_live_fraud, only_shadow_fraud, unknown_orders
FROM (
  SELECT l.order_date_local,
    l.ruleset_id AS live_ruleset_id, l.ruleset_version AS live_ruleset_version,
    s.ruleset_id AS shadow_ruleset_id, s.ruleset_version AS shadow_ruleset_version,
    COUNT(*) AS orders,
    ${countIf('l.decision = s.decision')} AS agreements,
    ${countIf('l.is_alert AND s.is_alert')} AS both_flag,
    ${countIf('l.is_alert AND NOT s.is_alert')} AS only_live,
    ${countIf('s.is_alert AND NOT l.is_alert')} AS only_shadow,
    ${countIf('NOT l.is_alert AND NOT s.is_alert')} AS neither,
    ${countIf("l.is_alert AND l.label_status = 'fraud'")} AS live_true_positives,
    ${countIf("l.is_alert AND l.label_status = 'legitimate'")} AS live_false_positives,
    ${countIf("s.is_alert AND s.label_status = 'fraud'")} AS shadow_true_positives,
    ${countIf("s.is_alert AND s.label_status = 'legitimate'")} AS shadow_false_positives,
    ${countIf("l.is_alert AND NOT s.is_alert AND l.label_status = 'fraud'")} AS only_live_fraud,
    ${countIf("s.is_alert AND NOT l.is_alert AND s.label_status = 'fraud'")} AS only_shadow_fraud,
    ${countIf("l.label_status = 'unknown'")} AS unknown_orders
  FROM ${ref('fct_decision_labels')} AS l
  JOIN ${ref('fct_decision_labels')} AS s ON s.order_id = l.order_id
  WHERE l.decision_source = 'live' AND s.decision_source = 'shadow'
  GROUP BY l.order_date_local, l.ruleset_id, l.ruleset_version, s.ruleset_id, s.ruleset_version
) AS counted`,
});

export const martModels = [
  martUserFraudStatus,
  martMostFraudulentUsers,
  martPaymentFraudCriticalTime,
  martUserProductHabit,
  martProductPaymentMethod,
  martDailyReasonCounts,
  martDailyFraudKpis,
  vwCustomerFraudSummary,
  martLabelRiskList,
  martRuleQualityDaily,
  martRulesetQualityDaily,
  martShadowComparisonDaily,
];
