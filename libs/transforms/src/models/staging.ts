// Staging models: raw rows deduplicated by key (latest version wins), typed and renamed; seed B's JSON landing flattened.
import { acceptedRange, acceptedValues, customTest, notNull, unique } from '../data-tests.js';
import { defineModel } from '../model.js';
import { latestPerKey } from './sql-patterns.js';

/** The payment methods of the OrderPlaced contract (libs/events, which a batch-scope library may not import). */
export const PAYMENT_METHODS = ['Bank Transfer', 'Paylater', 'Credit Card', 'Gopay', 'OVO', 'DANA'] as const;

export const stgUsers = defineModel({
  name: 'stg_users',
  layer: 'staging',
  tags: ['seed-a'],
  description: 'Users, one row per user_id: the latest version by updated_at, then load time.',
  materialization: { kind: 'table' },
  columns: {
    user_id: 'User key.',
    first_name: 'Given name.',
    last_name: 'Family name.',
    full_name: 'Given and family name.',
    email: 'E-mail address, lower-cased.',
    default_payment: 'Payment method the user chose as default.',
    phone: 'Phone number, when given.',
    country: 'ISO 3166-1 alpha-2 country.',
    created_at: 'When the account was created (UTC).',
    updated_at: 'When this version of the user was written (UTC).',
  },
  tests: [notNull('user_id'), unique('user_id'), notNull('email')],
  sql: ({ source }) =>
    latestPerKey({
      from: source('raw', 'users'),
      key: ['user_id'],
      newestFirst: ['updated_at', '_loaded_at'],
      columns: ['user_id', 'first_name', 'last_name', `first_name || ' ' || last_name AS full_name`, 'LOWER(email) AS email', 'default_payment', 'phone', 'country', 'created_at', 'updated_at'],
    }),
});

export const stgProducts = defineModel({
  name: 'stg_products',
  layer: 'staging',
  tags: ['seed-a'],
  description: 'Products, one row per product_id: a product updated on two days appears once, with its latest values.',
  materialization: { kind: 'table' },
  columns: {
    product_id: 'Product key.',
    product_name: 'Current product name.',
    category: 'Current category.',
    price: 'Current list price (NUMERIC, rupiah).',
    created_at: 'When the product was created (UTC).',
    updated_at: 'When this version was written (UTC).',
  },
  tests: [notNull('product_id'), unique('product_id'), acceptedRange('price', { min: 0 })],
  sql: ({ source, cast }) =>
    latestPerKey({
      from: source('raw', 'products'),
      key: ['product_id'],
      newestFirst: ['updated_at', '_loaded_at'],
      columns: ['product_id', 'product_name', 'category', `${cast('price', 'numeric')} AS price`, 'created_at', 'updated_at'],
    }),
});

export const stgMerchants = defineModel({
  name: 'stg_merchants',
  layer: 'staging',
  tags: ['seed-a', 'seed-b'],
  description: 'Merchants, exactly one row per merchant_id (seed B had one per category seen, which multiplied its fact rows).',
  materialization: { kind: 'table' },
  columns: {
    merchant_id: 'Merchant key.',
    merchant_name: 'Current merchant name.',
    category: 'Current merchant category.',
    country: 'ISO 3166-1 alpha-2 country.',
    created_at: 'When the merchant was created (UTC).',
    updated_at: 'When this version was written (UTC).',
  },
  tests: [notNull('merchant_id'), unique('merchant_id')],
  sql: ({ source }) =>
    latestPerKey({
      from: source('raw', 'merchants'),
      key: ['merchant_id'],
      newestFirst: ['updated_at', '_loaded_at'],
      columns: ['merchant_id', 'merchant_name', 'category', 'country', 'created_at', 'updated_at'],
    }),
});

export const stgOrders = defineModel({
  name: 'stg_orders',
  layer: 'staging',
  tags: ['seed-a'],
  description: 'Orders, one row per order_id (the latest load wins), amounts as NUMERIC.',
  materialization: { kind: 'table' },
  columns: {
    order_id: 'Order key (UUID v7 as text).',
    user_id: 'Buyer.',
    product_id: 'Product ordered.',
    merchant_id: 'Merchant selling it.',
    quantity: 'Units ordered.',
    unit_price: 'Price of one unit (NUMERIC).',
    amount: 'Order amount (NUMERIC).',
    currency: 'ISO 4217 currency.',
    payment_method: 'One of the OrderPlaced payment methods.',
    country: 'Country of the order.',
    device_id: 'Device the order came from.',
    ip: 'Client IP address.',
    ip_country: 'Country of the IP address.',
    is_vpn: 'Whether the IP is a known VPN exit.',
    email: 'E-mail given with the order.',
    ordered_at: 'When the customer placed the order (event time, UTC).',
    ingested_at: 'When the OLTP database stored it (UTC).',
  },
  tests: [
    notNull('order_id'),
    unique('order_id'),
    notNull('user_id'),
    acceptedValues('payment_method', PAYMENT_METHODS),
    acceptedRange('amount', { min: 0 }),
    acceptedRange('quantity', { min: 1 }),
  ],
  sql: ({ source, cast }) =>
    latestPerKey({
      from: source('raw', 'orders'),
      key: ['order_id'],
      newestFirst: ['_loaded_at', 'ingested_at'],
      columns: [
        'order_id', 'user_id', 'product_id', 'merchant_id', `${cast('quantity', 'int64')} AS quantity`,
        `${cast('unit_price', 'numeric')} AS unit_price`, `${cast('amount', 'numeric')} AS amount`, 'currency', 'payment_method', 'country',
        'device_id', 'ip', 'ip_country', 'is_vpn', 'email', 'created_at AS ordered_at', 'ingested_at',
      ],
    }),
});

export const stgDecisions = defineModel({
  name: 'stg_decisions',
  layer: 'staging',
  tags: ['seed-a', 'seed-b'],
  description: "The rules engine's decision per order, one row per order_id (the latest decision wins).",
  materialization: { kind: 'table' },
  columns: {
    order_id: 'Order decided.',
    decision: 'approve, review or decline.',
    score: 'Risk score 0–100.',
    status: 'fraud or genuine, as seed A labelled orders.',
    is_fraud: 'Whether the decision treats the order as fraud.',
    reasons: 'JSON array of {ruleId, reason, score, action} that fired.',
    ruleset_id: 'Ruleset that decided.',
    ruleset_version: 'Version of that ruleset.',
    latency_ms: 'Event time to decision, in milliseconds.',
    order_created_at: 'Event time of the order (UTC).',
    decided_at: 'When the decision was made (UTC).',
  },
  tests: [
    notNull('order_id'),
    unique('order_id'),
    acceptedValues('decision', ['approve', 'review', 'decline']),
    acceptedValues('status', ['fraud', 'genuine']),
    acceptedRange('score', { min: 0, max: 100 }),
  ],
  sql: ({ source, cast }) =>
    latestPerKey({
      from: source('raw', 'decisions'),
      key: ['order_id'],
      newestFirst: ['decided_at', '_loaded_at'],
      columns: [
        'order_id', 'decision', `${cast('score', 'int64')} AS score`, 'status', 'is_fraud', 'reasons', 'ruleset_id',
        `${cast('ruleset_version', 'int64')} AS ruleset_version`, `${cast('latency_ms', 'numeric')} AS latency_ms`, 'order_created_at', 'decided_at',
      ],
    }),
});

export const stgShadowDecisions = defineModel({
  name: 'stg_shadow_decisions',
  layer: 'staging',
  tags: ['outcome-loop'],
  description:
    "Shadow rulesets' decisions, made beside the live one and without effect on the order: one row per order and shadow ruleset version (the latest decision wins).",
  materialization: { kind: 'table' },
  columns: {
    order_id: 'Order decided.',
    ruleset_id: 'Shadow ruleset that decided.',
    ruleset_version: 'Version of that ruleset.',
    decision: 'approve, review or decline: what the shadow ruleset would have done.',
    score: 'Risk score 0–100.',
    reasons: 'JSON array of {ruleId, reason, score, action} that fired.',
    rule_failures: 'JSON array of {ruleId, message}: rules that failed at run time and counted as not fired; NULL when none did.',
    order_created_at: 'Event time of the order (UTC).',
    decided_at: 'When the shadow decision was made (UTC).',
  },
  tests: [
    notNull('order_id'),
    notNull('ruleset_id'),
    notNull('ruleset_version'),
    unique(['order_id', 'ruleset_id', 'ruleset_version']),
    acceptedValues('decision', ['approve', 'review', 'decline']),
    acceptedRange('score', { min: 0, max: 100 }),
  ],
  sql: ({ source, cast }) =>
    latestPerKey({
      from: source('raw', 'shadow_decisions'),
      key: ['order_id', 'ruleset_id', 'ruleset_version'],
      newestFirst: ['decided_at', '_loaded_at'],
      columns: [
        'order_id', 'ruleset_id', `${cast('ruleset_version', 'int64')} AS ruleset_version`, 'decision', `${cast('score', 'int64')} AS score`,
        'reasons', 'rule_failures', 'order_created_at', 'decided_at',
      ],
    }),
});

/** The kinds of the OrderOutcome contract (libs/events) and the labels they carry (a service dispute carries none). */
export const OUTCOME_KINDS = ['chargeback', 'fraud_refund', 'analyst_verdict', 'customer_confirmation'] as const;
export const OUTCOME_LABELS = ['fraud', 'legitimate'] as const;

export const stgOrderOutcomes = defineModel({
  name: 'stg_order_outcomes',
  layer: 'staging',
  tags: ['outcome-loop'],
  description: 'What became known about an order after its decision (chargebacks, fraud refunds, analyst verdicts, customer confirmations), one row per outcome_id: the latest load wins.',
  materialization: { kind: 'table' },
  columns: {
    outcome_id: 'Outcome key.',
    order_id: 'Order the outcome is about.',
    kind: 'chargeback, fraud_refund, analyst_verdict or customer_confirmation.',
    label: 'fraud or legitimate; NULL for a chargeback that is a service dispute.',
    amount: 'Amount charged back or refunded (NUMERIC); NULL for verdicts and confirmations.',
    occurred_at: 'When it happened (UTC), e.g. the chargeback date.',
    known_at: 'When it became known (UTC); the raw partition is its business date, and as-of reads filter on it.',
    source: 'Where it came from (the generator, a CSV import, a processor), when given.',
  },
  tests: [
    notNull('outcome_id'),
    unique('outcome_id'),
    notNull('order_id'),
    acceptedValues('kind', OUTCOME_KINDS),
    acceptedValues('label', OUTCOME_LABELS),
    notNull('known_at'),
    acceptedRange('amount', { min: 0 }),
    customTest('known_after_occurred', 'an outcome is known no earlier than it occurred', ({ self }) => `SELECT * FROM ${self} WHERE known_at < occurred_at`),
  ],
  sql: ({ source, cast }) =>
    latestPerKey({
      from: source('raw', 'order_outcomes'),
      key: ['outcome_id'],
      newestFirst: ['_loaded_at', 'known_at'],
      columns: ['outcome_id', 'order_id', 'kind', 'label', `${cast('amount', 'numeric')} AS amount`, 'occurred_at', 'known_at', 'source'],
    }),
});

export const rawOrderEventsFlat = defineModel({
  name: 'raw_order_events_flat',
  layer: 'staging',
  tags: ['seed-b'],
  description: "Seed B's landing: every OrderPlaced message of raw.order_events flattened into typed columns, one row per delivery.",
  materialization: { kind: 'incremental', intervalColumn: 'received_date' },
  columns: {
    topic: 'Kafka topic.',
    kafka_partition: 'Kafka partition.',
    kafka_offset: 'Kafka offset; (topic, partition, offset) identifies a delivery.',
    message_key: 'Kafka message key.',
    order_id: 'Order key.',
    event_type: 'Always OrderPlaced.',
    event_version: 'Contract version.',
    customer_id: 'userId of the event: the customer.',
    product_id: 'Product ordered.',
    merchant_id: 'Merchant selling it.',
    quantity: 'Units ordered.',
    unit_price: 'Unit price (NUMERIC).',
    amount: 'Order amount (NUMERIC).',
    currency: 'ISO 4217 currency.',
    payment_method: 'Payment method.',
    country: 'Country of the order.',
    placed_at: 'Event time (UTC).',
    device_id: 'Device key.',
    device_type: 'mobile, desktop or tablet.',
    device_os: 'Operating system.',
    device_browser: 'Browser.',
    ip: 'Client IP address.',
    ip_country: 'Country of the IP address.',
    is_vpn: 'Whether the IP is a VPN exit.',
    customer_email: 'E-mail the customer gave.',
    customer_phone: 'Phone the customer gave.',
    account_created_at: 'When the customer account was created (UTC).',
    login_attempts_24h: 'Login attempts in the last 24 hours.',
    failed_logins_24h: 'Failed logins in the last 24 hours.',
    password_changed_recently: 'Whether the password changed recently.',
    shipping_address_mismatch: 'Whether shipping and billing addresses differ.',
    previous_fraud: 'Whether the customer had fraud before.',
    coupon_code: 'Coupon used.',
    promotion_id: 'Promotion applied.',
    merchant_category: 'Merchant category as the storefront sent it.',
    session_id: 'Storefront session.',
    cart_value: 'Cart value (NUMERIC).',
    referrer: 'Referring page.',
    browser_fingerprint: 'Browser fingerprint.',
    received_at: 'When the subscriber received the message (UTC).',
    received_date: 'Business date of received_at: the raw partition, and the incremental interval column.',
  },
  tests: [
    unique(['topic', 'kafka_partition', 'kafka_offset']),
    notNull('order_id'),
    notNull('customer_id'),
    unique('order_id', { severity: 'warn' }),
  ],
  sql: ({ source, ident, jsonValue, cast, inInterval }) => {
    const field = (path: string, type?: Parameters<typeof cast>[1]) => {
      const value = jsonValue('e.message', path);
      return type ? cast(value, type) : value;
    };
    return `SELECT
  e.topic, ${cast(`e.${ident('partition')}`, 'int64')} AS kafka_partition, ${cast(`e.${ident('offset')}`, 'int64')} AS kafka_offset,
  e.message_key, e.order_id,
  ${field('type')} AS event_type, ${field('version', 'int64')} AS event_version,
  ${field('userId')} AS customer_id, ${field('productId')} AS product_id, ${field('merchantId')} AS merchant_id,
  ${field('quantity', 'int64')} AS quantity, ${field('unitPrice', 'numeric')} AS unit_price, ${field('amount', 'numeric')} AS amount,
  ${field('currency')} AS currency, ${field('paymentMethod')} AS payment_method, ${field('country')} AS country,
  ${field('placedAt', 'timestamp')} AS placed_at,
  ${field('device.deviceId')} AS device_id, ${field('device.deviceType')} AS device_type, ${field('device.os')} AS device_os,
  ${field('device.browser')} AS device_browser, ${field('device.ip')} AS ip, ${field('device.ipCountry')} AS ip_country,
  ${field('device.isVpn', 'bool')} AS is_vpn,
  ${field('customer.email')} AS customer_email, ${field('customer.phone')} AS customer_phone,
  ${field('customer.accountCreatedAt', 'timestamp')} AS account_created_at,
  ${field('customer.loginAttempts24h', 'int64')} AS login_attempts_24h, ${field('customer.failedLogins24h', 'int64')} AS failed_logins_24h,
  ${field('customer.passwordChangedRecently', 'bool')} AS password_changed_recently,
  ${field('customer.shippingAddressMismatch', 'bool')} AS shipping_address_mismatch,
  ${field('customer.previousFraud', 'bool')} AS previous_fraud,
  ${field('commerce.couponCode')} AS coupon_code, ${field('commerce.promotionId')} AS promotion_id,
  ${field('commerce.merchantCategory')} AS merchant_category, ${field('commerce.sessionId')} AS session_id,
  ${field('commerce.cartValue', 'numeric')} AS cart_value, ${field('commerce.referrer')} AS referrer,
  ${field('commerce.browserFingerprint')} AS browser_fingerprint,
  e.received_at, e._logical_date AS received_date
FROM ${source('raw', 'order_events')} AS e
WHERE ${inInterval('e._logical_date')}`;
  },
});

export const stgTransactions = defineModel({
  name: 'stg_transactions',
  layer: 'staging',
  tags: ['seed-b'],
  description: 'One row per order from the event landing (a redelivered event counts once; the latest delivery wins), merged by key.',
  materialization: { kind: 'incremental', uniqueKey: ['transaction_id'] },
  columns: {
    transaction_id: 'Order key.',
    customer_id: 'Customer (userId).',
    merchant_id: 'Merchant.',
    product_id: 'Product.',
    device_id: 'Device.',
    quantity: 'Units ordered.',
    amount: 'Order amount (NUMERIC).',
    currency: 'ISO 4217 currency.',
    payment_method: 'Payment method.',
    country: 'Country of the order.',
    ip: 'Client IP address.',
    ip_country: 'Country of the IP address.',
    is_vpn: 'Whether the IP is a VPN exit.',
    customer_email: 'E-mail the customer gave with this order.',
    merchant_category: 'Merchant category the storefront sent.',
    placed_at: 'Event time (UTC).',
    received_at: 'When the latest delivery was received (UTC).',
  },
  tests: [notNull('transaction_id'), unique('transaction_id'), notNull('customer_id')],
  sql: ({ ref, inInterval }) =>
    latestPerKey({
      from: `(SELECT * FROM ${ref('raw_order_events_flat')} WHERE ${inInterval('received_date')})`,
      key: ['order_id'],
      newestFirst: ['received_at', 'kafka_offset'],
      columns: [
        'order_id AS transaction_id', 'customer_id', 'merchant_id', 'product_id', 'device_id', 'quantity', 'amount', 'currency', 'payment_method',
        'country', 'ip', 'ip_country', 'is_vpn', 'customer_email', 'merchant_category', 'placed_at', 'received_at',
      ],
    }),
});

export const stgCustomers = defineModel({
  name: 'stg_customers',
  layer: 'staging',
  tags: ['seed-b'],
  description: 'Customers seen in the events, one row per customer_id with the attributes of their latest order.',
  materialization: { kind: 'table' },
  columns: {
    customer_id: 'Customer key (userId).',
    email: 'Latest e-mail.',
    phone: 'Latest phone.',
    country: 'Latest order country.',
    last_seen_at: 'Event time of the latest order (UTC).',
  },
  tests: [notNull('customer_id'), unique('customer_id')],
  sql: ({ ref }) =>
    latestPerKey({
      from: ref('raw_order_events_flat'),
      key: ['customer_id'],
      newestFirst: ['placed_at', 'received_at', 'kafka_offset'],
      columns: ['customer_id', 'customer_email AS email', 'customer_phone AS phone', 'country', 'placed_at AS last_seen_at'],
    }),
});

export const stgDevices = defineModel({
  name: 'stg_devices',
  layer: 'staging',
  tags: ['seed-b'],
  description: 'Devices seen in the events, one row per device_id with the attributes of its latest order.',
  materialization: { kind: 'table' },
  columns: {
    device_id: 'Device key.',
    device_type: 'mobile, desktop or tablet.',
    os: 'Latest operating system.',
    browser: 'Latest browser.',
    last_seen_at: 'Event time of the latest order (UTC).',
  },
  tests: [notNull('device_id'), unique('device_id'), acceptedValues('device_type', ['mobile', 'desktop', 'tablet'])],
  sql: ({ ref }) =>
    latestPerKey({
      from: ref('raw_order_events_flat'),
      key: ['device_id'],
      newestFirst: ['placed_at', 'received_at', 'kafka_offset'],
      columns: ['device_id', 'device_type', 'device_os AS os', 'device_browser AS browser', 'placed_at AS last_seen_at'],
    }),
});

export const stagingModels = [
  stgUsers,
  stgProducts,
  stgMerchants,
  stgOrders,
  stgDecisions,
  stgShadowDecisions,
  stgOrderOutcomes,
  rawOrderEventsFlat,
  stgTransactions,
  stgCustomers,
  stgDevices,
];
