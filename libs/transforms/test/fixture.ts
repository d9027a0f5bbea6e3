// The golden fixture: 38 hand-made orders over two business days (Asia/Jakarta, UTC+7) that hit every branch of the marts.
//
// Users: u01 exactly 3 fraud orders (Blacklist), u05 4 (Blacklist, rank 1), u09 2, u02/u08/u04 exactly 1 (Watchlist; u02 and
// u08 tie on fraud and total orders, so user_id decides), u03/u07/u10 none, u06 no orders at all. Times: 04:59:59 and
// 05:00:00 (critical window edge), 23:59:59 on day 1 (its event arrives on day 2) and 00:00:00 on day 2 (UTC date is day 1).
// Product p02 is updated on both days (dim_products keeps the latest), merchant m02 changes category (one row in
// dim_merchant), customer u03 changes e-mail (two SCD2 versions), device d01 changes browser, order o03's event is
// delivered twice, and user u03 is loaded twice (the later version wins).
//
// Outcomes (OUTCOMES below) label orders weeks later: u05 gets two fraud labels (Blacklist on the label-based list)
// while u01, declined three times by the rules, gets none (a dispute without a label, an analyst clearing a refunded
// order); every precedence case of order_verdicts occurs, one outcome is loaded twice and one becomes known after
// OUTCOME_AS_OF, the as-of time at which day 1's unlabelled orders are old enough to count as legitimate and day 2's not.
import type { RawRow } from './raw-tables.js';

export const DAY_1 = '2024-03-01';
export const DAY_2 = '2024-03-02';
export const TZ = 'Asia/Jakarta';

/** UTC instant of a Jakarta wall-clock time `YYYY-MM-DD HH:MM:SS`. */
export const jakarta = (local: string) => new Date(`${local.replace(' ', 'T')}+07:00`);

/** The Jakarta business date of an instant. */
const businessDate = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** Timestamp text both engines accept: `YYYY-MM-DD HH:MM:SS.mmm+00`. */
export const sqlTimestamp = (instant: Date) => instant.toISOString().replace('T', ' ').replace('Z', '+00');

/** The day's load ran at 01:00 UTC the next day (a later load, for rows loaded twice, at 02:00). */
const loadedAt = (date: string, hour = 1) => sqlTimestamp(new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000 + hour * 3_600_000));

export const partitioned = (row: RawRow, day: Date, loadHour?: number): RawRow => {
  const date = businessDate(day);
  return { ...row, _logical_date: date, _loaded_at: loadedAt(date, loadHour) };
};

interface UserSpec {
  id: string;
  first: string;
  last: string;
  email: string;
  payment: string;
  device: { id: string; type: string; os: string; browser: string };
  vpn: boolean;
  ipCountry: string;
}

const USERS: UserSpec[] = [
  { id: 'u01', first: 'Ani', last: 'Wijaya', email: 'ani@mail.id', payment: 'Credit Card', device: { id: 'd01', type: 'mobile', os: 'Android', browser: 'Chrome' }, vpn: false, ipCountry: 'ID' },
  { id: 'u02', first: 'Budi', last: 'Santoso', email: 'budi@mail.id', payment: 'OVO', device: { id: 'd02', type: 'desktop', os: 'Windows', browser: 'Edge' }, vpn: false, ipCountry: 'ID' },
  { id: 'u03', first: 'Citra', last: 'Lestari', email: 'citra@old.id', payment: 'Gopay', device: { id: 'd03', type: 'mobile', os: 'iOS', browser: 'Safari' }, vpn: false, ipCountry: 'ID' },
  { id: 'u04', first: 'Dewi', last: 'Anggraini', email: 'dewi@mail.id', payment: 'Paylater', device: { id: 'd04', type: 'tablet', os: 'iPadOS', browser: 'Safari' }, vpn: false, ipCountry: 'ID' },
  { id: 'u05', first: 'Eko', last: 'Prasetyo', email: 'eko@mail.id', payment: 'Credit Card', device: { id: 'd05', type: 'desktop', os: 'Linux', browser: 'Firefox' }, vpn: true, ipCountry: 'SG' },
  { id: 'u06', first: 'Fajar', last: 'Nugroho', email: 'fajar@mail.id', payment: 'DANA', device: { id: 'd06', type: 'mobile', os: 'Android', browser: 'Chrome' }, vpn: false, ipCountry: 'ID' },
  { id: 'u07', first: 'Gita', last: 'Permata', email: 'gita@mail.id', payment: 'DANA', device: { id: 'd07', type: 'mobile', os: 'Android', browser: 'Chrome' }, vpn: false, ipCountry: 'ID' },
  { id: 'u08', first: 'Hadi', last: 'Susanto', email: 'hadi@mail.id', payment: 'Gopay', device: { id: 'd08', type: 'mobile', os: 'iOS', browser: 'Safari' }, vpn: false, ipCountry: 'ID' },
  { id: 'u09', first: 'Indah', last: 'Sari', email: 'indah@mail.id', payment: 'OVO', device: { id: 'd09', type: 'desktop', os: 'macOS', browser: 'Safari' }, vpn: false, ipCountry: 'ID' },
  { id: 'u10', first: 'Joko', last: 'Purnomo', email: 'joko@mail.id', payment: 'Bank Transfer', device: { id: 'd10', type: 'mobile', os: 'Android', browser: 'Chrome' }, vpn: false, ipCountry: 'ID' },
];

const userById = new Map(USERS.map((user) => [user.id, user]));

type Decision = 'approve' | 'review' | 'decline';

/** [order, user, product, merchant, quantity, unit price, payment method, Jakarta time, decision, score, rules fired] */
type OrderSpec = [string, string, string, string, number, number, string, string, Decision, number, string[]];

export const ORDERS: OrderSpec[] = [
  ['o01', 'u01', 'p01', 'm01', 1, 250000, 'Credit Card', '2024-03-01 10:15:00', 'approve', 5, []],
  ['o02', 'u01', 'p04', 'm02', 1, 12500000, 'Credit Card', '2024-03-01 01:30:00', 'decline', 90, ['night_high_value', 'new_device']],
  ['o03', 'u01', 'p02', 'm02', 1, 500000, 'Credit Card', '2024-03-01 02:10:00', 'decline', 85, ['night_high_value']],
  ['o04', 'u01', 'p04', 'm02', 1, 12500000, 'Gopay', '2024-03-02 03:00:00', 'decline', 95, ['night_high_value', 'velocity_burst']],
  ['o05', 'u01', 'p03', 'm03', 2, 85000, 'Gopay', '2024-03-02 12:00:00', 'approve', 10, []],
  ['o06', 'u02', 'p01', 'm01', 2, 250000, 'OVO', '2024-03-01 09:00:00', 'approve', 0, []],
  ['o07', 'u02', 'p03', 'm03', 1, 85000, 'OVO', '2024-03-01 04:59:59', 'review', 55, ['velocity_burst']],
  ['o08', 'u02', 'p03', 'm03', 1, 85000, 'OVO', '2024-03-01 05:00:00', 'approve', 20, []],
  ['o09', 'u02', 'p02', 'm02', 1, 500000, 'Bank Transfer', '2024-03-01 23:59:59', 'decline', 80, ['geo_mismatch']],
  ['o10', 'u03', 'p03', 'm03', 3, 85000, 'Gopay', '2024-03-01 08:00:00', 'approve', 0, []],
  ['o11', 'u03', 'p01', 'm01', 1, 250000, 'Gopay', '2024-03-01 18:00:00', 'approve', 5, []],
  ['o12', 'u03', 'p02', 'm02', 1, 450000, 'DANA', '2024-03-02 00:00:00', 'approve', 15, []],
  ['o13', 'u03', 'p03', 'm03', 1, 85000, 'DANA', '2024-03-02 14:00:00', 'review', 45, ['new_device']],
  ['o14', 'u04', 'p01', 'm01', 1, 250000, 'Paylater', '2024-03-01 03:00:00', 'decline', 75, ['new_device', 'geo_mismatch']],
  ['o15', 'u04', 'p03', 'm03', 1, 85000, 'Paylater', '2024-03-02 11:00:00', 'approve', 5, []],
  ['o16', 'u05', 'p04', 'm02', 1, 12500000, 'Credit Card', '2024-03-01 00:30:00', 'decline', 99, ['night_high_value', 'velocity_burst']],
  ['o17', 'u05', 'p04', 'm02', 1, 12500000, 'Credit Card', '2024-03-01 00:45:00', 'decline', 99, ['night_high_value', 'velocity_burst']],
  ['o18', 'u05', 'p02', 'm02', 2, 500000, 'Credit Card', '2024-03-01 01:00:00', 'decline', 90, ['velocity_burst']],
  ['o19', 'u05', 'p02', 'm02', 1, 450000, 'Paylater', '2024-03-02 22:00:00', 'decline', 70, ['geo_mismatch']],
  ['o20', 'u07', 'p03', 'm03', 1, 85000, 'DANA', '2024-03-01 07:00:00', 'approve', 0, []],
  ['o21', 'u07', 'p03', 'm03', 1, 85000, 'DANA', '2024-03-01 07:30:00', 'approve', 0, []],
  ['o22', 'u07', 'p01', 'm01', 1, 250000, 'Bank Transfer', '2024-03-01 13:00:00', 'approve', 0, []],
  ['o23', 'u07', 'p01', 'm01', 1, 250000, 'Bank Transfer', '2024-03-02 13:00:00', 'approve', 0, []],
  ['o24', 'u07', 'p02', 'm02', 1, 450000, 'Credit Card', '2024-03-02 04:00:00', 'review', 40, ['new_device']],
  ['o25', 'u07', 'p03', 'm03', 2, 85000, 'OVO', '2024-03-02 19:00:00', 'approve', 0, []],
  ['o26', 'u08', 'p01', 'm01', 1, 250000, 'Gopay', '2024-03-01 15:00:00', 'approve', 0, []],
  ['o27', 'u08', 'p03', 'm03', 1, 85000, 'Gopay', '2024-03-01 16:00:00', 'approve', 0, []],
  ['o28', 'u08', 'p03', 'm03', 1, 85000, 'Gopay', '2024-03-02 02:30:00', 'approve', 10, []],
  ['o29', 'u08', 'p04', 'm02', 1, 12500000, 'Gopay', '2024-03-02 21:00:00', 'decline', 88, ['geo_mismatch', 'new_device']],
  ['o30', 'u09', 'p02', 'm02', 1, 500000, 'OVO', '2024-03-01 21:00:00', 'decline', 82, ['geo_mismatch']],
  ['o31', 'u09', 'p02', 'm02', 1, 450000, 'OVO', '2024-03-02 01:15:00', 'decline', 86, ['night_high_value']],
  ['o32', 'u09', 'p03', 'm03', 1, 85000, 'OVO', '2024-03-02 10:00:00', 'approve', 0, []],
  ['o33', 'u10', 'p01', 'm01', 1, 250000, 'Credit Card', '2024-03-01 11:00:00', 'approve', 0, []],
  ['o34', 'u10', 'p01', 'm01', 1, 250000, 'Credit Card', '2024-03-01 11:05:00', 'approve', 0, []],
  ['o35', 'u10', 'p03', 'm03', 4, 85000, 'Bank Transfer', '2024-03-02 09:30:00', 'approve', 0, []],
  ['o36', 'u10', 'p04', 'm02', 1, 12500000, 'Bank Transfer', '2024-03-02 16:45:00', 'review', 60, ['new_device']],
  ['o37', 'u10', 'p03', 'm03', 1, 85000, 'DANA', '2024-03-02 20:00:00', 'approve', 0, []],
  ['o38', 'u10', 'p01', 'm01', 1, 250000, 'Paylater', '2024-03-02 04:30:00', 'approve', 5, []],
];

/** u03 changed e-mail at midnight between the days; u01's phone switched browser on day 2. */
function emailAt(user: UserSpec, placed: Date): string {
  return user.id === 'u03' && placed >= jakarta('2024-03-02 00:00:00') ? 'citra@new.id' : user.email;
}

function browserAt(user: UserSpec, placed: Date): string {
  return user.id === 'u01' && placed >= jakarta('2024-03-02 00:00:00') ? 'Firefox' : user.device.browser;
}

/** m02 sold as electronics on day 1 and as gadgets on day 2. */
const MERCHANT_CATEGORY = (merchant: string, placed: Date) =>
  ({ m01: 'fashion', m02: placed >= jakarta('2024-03-02 00:00:00') ? 'gadgets' : 'electronics', m03: 'grocery' })[merchant] as string;

function userRows(): RawRow[] {
  const rows = USERS.map((user, index) => {
    const created = jakarta(`2024-02-${String(index + 1).padStart(2, '0')} 09:00:00`);
    return partitioned(
      {
        user_id: user.id, first_name: user.first, last_name: user.last, email: user.email, default_payment: user.payment,
        phone: user.id === 'u06' ? null : `+62811000${user.id.slice(1)}`, country: 'ID', created_at: sqlTimestamp(created), updated_at: sqlTimestamp(created),
      },
      created,
    );
  });
  const citra = rows[2] as RawRow;
  rows.push({ ...citra, email: 'CITRA@new.id', updated_at: sqlTimestamp(jakarta('2024-03-02 00:00:00')), _loaded_at: loadedAt(String(citra['_logical_date']), 2) });
  return rows;
}

function productRows(): RawRow[] {
  const created = jakarta('2024-02-01 08:00:00');
  const product = (id: string, name: string, category: string, price: number, updated = created) =>
    partitioned({ product_id: id, product_name: name, category, price: String(price), created_at: sqlTimestamp(created), updated_at: sqlTimestamp(updated) }, updated);
  return [
    product('p01', 'Sepatu Lari', 'fashion', 250000),
    product('p02', 'Headphone X', 'electronics', 500000, jakarta('2024-03-01 08:00:00')),
    product('p02', 'Headphone X Pro', 'electronics', 450000, jakarta('2024-03-02 07:00:00')),
    product('p03', 'Kopi Arabika', 'grocery', 85000),
    product('p04', 'Laptop Pro 14', 'electronics', 12500000),
  ];
}

function merchantRows(): RawRow[] {
  const created = jakarta('2024-01-15 10:00:00');
  const merchant = (id: string, name: string, category: string, updated = created) =>
    partitioned({ merchant_id: id, merchant_name: name, category, country: 'ID', created_at: sqlTimestamp(created), updated_at: sqlTimestamp(updated) }, updated);
  return [
    merchant('m01', 'Toko Maju', 'fashion'),
    merchant('m02', 'Gadget Hub', 'electronics', jakarta('2024-03-01 07:00:00')),
    merchant('m02', 'Gadget Hub', 'gadgets', jakarta('2024-03-02 06:00:00')),
    merchant('m03', 'Warung Kopi', 'grocery'),
  ];
}

interface OrderFacts {
  id: string;
  user: UserSpec;
  product: string;
  merchant: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  payment: string;
  placed: Date;
  decision: Decision;
  score: number;
  rules: string[];
}

function orderFacts(): OrderFacts[] {
  return ORDERS.map(([id, user, product, merchant, quantity, unitPrice, payment, local, decision, score, rules]) => ({
    id, user: userById.get(user) as UserSpec, product, merchant, quantity, unitPrice, amount: quantity * unitPrice, payment, placed: jakarta(local), decision, score, rules,
  }));
}

const ip = (user: UserSpec) => `10.0.0.${Number(user.id.slice(1))}`;
const seconds = (instant: Date, count: number) => new Date(instant.getTime() + count * 1000);

function orderRow(order: OrderFacts): RawRow {
  return partitioned(
    {
      order_id: order.id, user_id: order.user.id, product_id: order.product, merchant_id: order.merchant, quantity: order.quantity,
      unit_price: String(order.unitPrice), amount: String(order.amount), currency: 'IDR', payment_method: order.payment, country: 'ID',
      device_id: order.user.device.id, ip: ip(order.user), ip_country: order.user.ipCountry, is_vpn: order.user.vpn, email: emailAt(order.user, order.placed),
      created_at: sqlTimestamp(order.placed), ingested_at: sqlTimestamp(seconds(order.placed, 1)),
    },
    order.placed,
  );
}

function decisionRow(order: OrderFacts): RawRow {
  const action = order.decision === 'decline' ? 'decline' : 'review';
  const reasons = order.rules.map((ruleId) => ({ ruleId, reason: `${ruleId} fired`, score: 30, action }));
  const fraud = order.decision === 'decline';
  return partitioned(
    {
      order_id: order.id, decision: order.decision, score: order.score, status: fraud ? 'fraud' : 'genuine', is_fraud: fraud, reasons: JSON.stringify(reasons),
      ruleset_id: 'default', ruleset_version: 1, latency_ms: '12.5', order_created_at: sqlTimestamp(order.placed), decided_at: sqlTimestamp(seconds(order.placed, 1)),
    },
    order.placed,
  );
}

function orderPlaced(order: OrderFacts) {
  const { user } = order;
  return {
    type: 'OrderPlaced', version: 1, orderId: order.id, userId: user.id, productId: order.product, merchantId: order.merchant, quantity: order.quantity,
    unitPrice: String(order.unitPrice), amount: String(order.amount), currency: 'IDR', paymentMethod: order.payment, country: 'ID',
    placedAt: `${new Date(order.placed.getTime() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`,
    device: { deviceId: user.device.id, ip: ip(user), ipCountry: user.ipCountry, deviceType: user.device.type, os: user.device.os, browser: browserAt(user, order.placed), isVpn: user.vpn },
    customer: { email: emailAt(user, order.placed), loginAttempts24h: 1, failedLogins24h: user.vpn ? 5 : 0, previousFraud: user.vpn },
    commerce: { merchantCategory: MERCHANT_CATEGORY(order.merchant, order.placed), sessionId: `s-${order.id}` },
  };
}

function eventRow(order: OrderFacts, offset: number, received: Date): RawRow {
  return partitioned(
    {
      topic: 'orders.placed', partition: 0, offset, message_key: order.user.id, order_id: order.id, message: JSON.stringify(orderPlaced(order)),
      received_at: sqlTimestamp(received),
    },
    received,
  );
}

type OutcomeKind = 'chargeback' | 'fraud_refund' | 'analyst_verdict' | 'customer_confirmation';

/** [outcome, order, kind, label, amount, occurred (Jakarta), known (Jakarta), source] */
type OutcomeSpec = [string, string, OutcomeKind, 'fraud' | 'legitimate' | null, number | null, string, string, string | null];

/**
 * The run end the outcome-loop tests judge at: 2024-04-01 00:00 in Jakarta. Thirty days before it is day 2's first
 * instant, so every day-1 order is older than LABEL_MATURITY_DAYS and no day-2 order is (o12, at 00:00:00 on day 2,
 * exactly thirty days old, is not older).
 */
export const OUTCOME_AS_OF_END = '2024-04-01';
export const OUTCOME_AS_OF = jakarta('2024-04-01 00:00:00');

export const OUTCOMES: OutcomeSpec[] = [
  // u01, three declines, no fraud label: a service-dispute chargeback carries none; an analyst clears a refunded order.
  ['cb-o03', 'o03', 'chargeback', null, 500000, '2024-03-10 10:00:00', '2024-03-12 10:00:00', 'processor'],
  ['refund-o04', 'o04', 'fraud_refund', 'fraud', 12500000, '2024-03-03 09:00:00', '2024-03-03 09:00:00', 'generator'],
  ['verdict-o04', 'o04', 'analyst_verdict', 'legitimate', null, '2024-03-05 09:00:00', '2024-03-05 09:00:00', 'csv'],
  // u02: the latest analyst verdict wins over an earlier one.
  ['verdict-o07-1', 'o07', 'analyst_verdict', 'legitimate', null, '2024-03-01 12:00:00', '2024-03-01 12:00:00', 'csv'],
  ['verdict-o07-2', 'o07', 'analyst_verdict', 'fraud', null, '2024-03-04 12:00:00', '2024-03-04 12:00:00', 'csv'],
  // u04: two fraud outcomes label the order once, from the first known.
  ['refund-o14', 'o14', 'fraud_refund', 'fraud', 250000, '2024-03-02 08:00:00', '2024-03-02 08:00:00', 'generator'],
  ['cb-o14', 'o14', 'chargeback', 'fraud', 250000, '2024-03-18 08:00:00', '2024-03-20 08:00:00', 'processor'],
  // u05, two orders labelled fraud: a chargeback outweighs the customer's confirmation; a refund.
  ['confirm-o16', 'o16', 'customer_confirmation', 'legitimate', null, '2024-03-01 12:00:00', '2024-03-01 12:00:00', null],
  ['cb-o16', 'o16', 'chargeback', 'fraud', 12500000, '2024-03-12 10:00:00', '2024-03-15 10:00:00', 'processor'],
  ['refund-o17', 'o17', 'fraud_refund', 'fraud', 12500000, '2024-03-02 06:00:00', '2024-03-02 06:00:00', 'generator'],
  // u08: known only after the as-of time.
  ['cb-o29', 'o29', 'chargeback', 'fraud', 12500000, '2024-03-28 10:00:00', '2024-04-02 10:00:00', 'processor'],
  // u09 and u10: one fraud label each; o35 was approved (a fraud the rules missed); o33 confirmed by its customer.
  ['cb-o30', 'o30', 'chargeback', 'fraud', 500000, '2024-03-20 10:00:00', '2024-03-25 10:00:00', 'processor'],
  ['cb-o35', 'o35', 'chargeback', 'fraud', 340000, '2024-03-20 10:00:00', '2024-03-28 10:00:00', 'processor'],
  ['confirm-o33', 'o33', 'customer_confirmation', 'legitimate', null, '2024-03-01 12:00:00', '2024-03-01 12:00:00', null],
];

function outcomeRows(): RawRow[] {
  const rows = OUTCOMES.map(([id, order, kind, label, amount, occurred, known, source]) =>
    partitioned(
      { outcome_id: id, order_id: order, kind, label, amount: amount === null ? null : String(amount), occurred_at: sqlTimestamp(jakarta(occurred)), known_at: sqlTimestamp(jakarta(known)), source },
      jakarta(known),
    ),
  );
  // cb-o16 was first recorded a day earlier with a wrong amount; the later load's version wins.
  const corrected = rows.find((row) => row['outcome_id'] === 'cb-o16') as RawRow;
  rows.push(partitioned({ ...corrected, amount: '12000000', known_at: sqlTimestamp(jakarta('2024-03-14 22:00:00')) }, jakarta('2024-03-14 22:00:00')));
  return rows;
}

export interface Fixture {
  users: RawRow[];
  products: RawRow[];
  merchants: RawRow[];
  orders: RawRow[];
  decisions: RawRow[];
  order_events: RawRow[];
  order_outcomes: RawRow[];
}

export function goldenFixture(): Fixture {
  const orders = orderFacts();
  const redelivered = orders.find((order) => order.id === 'o03') as OrderFacts;
  return {
    users: userRows(),
    products: productRows(),
    merchants: merchantRows(),
    orders: orders.map(orderRow),
    decisions: orders.map(decisionRow),
    order_events: [
      ...orders.map((order, index) => eventRow(order, index + 1, seconds(order.placed, 2))),
      eventRow(redelivered, orders.length + 1, jakarta('2024-03-02 10:00:00')),
    ],
    order_outcomes: outcomeRows(),
  };
}

/** The fixture rows whose partition (`_logical_date`) is on or before `date`, or after it. */
export function splitFixture(fixture: Fixture, date: string): { upTo: Fixture; after: Fixture } {
  const part = (keep: (rowDate: string) => boolean) =>
    Object.fromEntries(Object.entries(fixture).map(([table, rows]) => [table, (rows as RawRow[]).filter((row) => keep(String(row['_logical_date'])))])) as unknown as Fixture;
  return { upTo: part((rowDate) => rowDate <= date), after: part((rowDate) => rowDate > date) };
}
