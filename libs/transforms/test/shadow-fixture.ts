// The shadow fixture: seven hand-made orders decided by the live ruleset and by two shadow ruleset versions beside it, with labels whose comparison is worked out by hand.
//
// Business day SHADOW_DAY (Asia/Jakarta), judged as of SHADOW_AS_OF: 30 days and 12 hours after the day began, so an
// unlabelled order placed before 12:00 that day is older than LABEL_MATURITY_DAYS (legitimate) and one placed after is
// not (unknown). The live ruleset is default@4; shadow candidate@2 decides every order but a6, candidate@3 only a1.
//
// order  placed (Jakarta)    live     candidate@2  candidate@3  label as of SHADOW_AS_OF
// a1     SHADOW_DAY 08:00    decline  decline      review       fraud (chargeback)
// a2     SHADOW_DAY 09:00    review   approve      -            fraud (fraud refund): only the live ruleset catches it
// a3     SHADOW_DAY 10:00    decline  review       -            legitimate (analyst verdict)
// a4     SHADOW_DAY 11:00    approve  approve      -            legitimate (unlabelled, older than 30 days)
// a5     SHADOW_DAY 20:00    approve  decline      -            unknown (unlabelled, not yet 30 days old)
// a6     SHADOW_DAY 09:30    review   -            -            legitimate (unlabelled, older than 30 days)
// b1     next day 01:00      approve  review       -            fraud (chargeback): only the shadow ruleset catches it
//
// a2's candidate@2 decision is loaded twice (the rerun of its day), so staging must keep one row per key.
import { jakarta, partitioned, sqlTimestamp } from './fixture.js';
import type { RawRow } from './raw-tables.js';

export const SHADOW_DAY = '2024-05-10';
export const SHADOW_NEXT_DAY = '2024-05-11';
export const SHADOW_AS_OF = jakarta('2024-06-09 12:00:00');

type Decision = 'approve' | 'review' | 'decline';

/** [order, Jakarta time, live decision, candidate@2 decision, candidate@3 decision] */
type ShadowOrderSpec = [string, string, Decision, Decision | null, Decision | null];

export const SHADOW_ORDERS: ShadowOrderSpec[] = [
  ['a1', '2024-05-10 08:00:00', 'decline', 'decline', 'review'],
  ['a2', '2024-05-10 09:00:00', 'review', 'approve', null],
  ['a3', '2024-05-10 10:00:00', 'decline', 'review', null],
  ['a4', '2024-05-10 11:00:00', 'approve', 'approve', null],
  ['a5', '2024-05-10 20:00:00', 'approve', 'decline', null],
  ['a6', '2024-05-10 09:30:00', 'review', null, null],
  ['b1', '2024-05-11 01:00:00', 'approve', 'review', null],
];

/** [outcome, order, kind, label, Jakarta time it occurred and became known] */
const SHADOW_OUTCOMES: [string, string, string, 'fraud' | 'legitimate', string][] = [
  ['cb-a1', 'a1', 'chargeback', 'fraud', '2024-05-25 10:00:00'],
  ['refund-a2', 'a2', 'fraud_refund', 'fraud', '2024-05-12 10:00:00'],
  ['verdict-a3', 'a3', 'analyst_verdict', 'legitimate', '2024-05-15 10:00:00'],
  ['cb-b1', 'b1', 'chargeback', 'fraud', '2024-06-01 10:00:00'],
];

/** Each flag fires one rule: the live ruleset's `velocity_burst`, the shadow versions' `device_risk`. */
const reasons = (decision: Decision, ruleId: string) =>
  JSON.stringify(decision === 'approve' ? [] : [{ ruleId, reason: `${ruleId} fired`, score: decision === 'decline' ? 80 : 50, action: decision }]);

const score = (decision: Decision) => ({ approve: 0, review: 50, decline: 80 })[decision];
const secondsAfter = (instant: Date, count: number) => new Date(instant.getTime() + count * 1000);

function orderRow(id: string, placed: Date): RawRow {
  return partitioned(
    {
      order_id: id, user_id: 'u1', product_id: 'p1', merchant_id: 'm1', quantity: 1, unit_price: '100000', amount: '100000', currency: 'IDR',
      payment_method: 'OVO', country: 'ID', device_id: 'd1', ip: '10.0.0.1', ip_country: 'ID', is_vpn: false, email: null,
      created_at: sqlTimestamp(placed), ingested_at: sqlTimestamp(secondsAfter(placed, 1)),
    },
    placed,
  );
}

function liveDecisionRow(id: string, placed: Date, decision: Decision): RawRow {
  return partitioned(
    {
      order_id: id, decision, score: score(decision), status: decision === 'decline' ? 'fraud' : 'genuine', is_fraud: decision === 'decline',
      reasons: reasons(decision, 'velocity_burst'), ruleset_id: 'default', ruleset_version: 4, latency_ms: '3.5',
      order_created_at: sqlTimestamp(placed), decided_at: sqlTimestamp(secondsAfter(placed, 1)),
    },
    placed,
  );
}

function shadowDecisionRow(id: string, placed: Date, version: number, decision: Decision, loadHour?: number): RawRow {
  return partitioned(
    {
      order_id: id, ruleset_id: 'candidate', ruleset_version: version, decision, score: score(decision), reasons: reasons(decision, 'device_risk'),
      rule_failures: null, order_created_at: sqlTimestamp(placed), decided_at: sqlTimestamp(secondsAfter(placed, 1)),
    },
    placed,
    loadHour,
  );
}

/** The one buyer and product of every order, so the facts' relationship tests find them. */
function catalogRows(): { users: RawRow[]; products: RawRow[] } {
  const created = jakarta('2024-04-01 09:00:00');
  const at = sqlTimestamp(created);
  return {
    users: [
      partitioned(
        { user_id: 'u1', first_name: 'Sari', last_name: 'Dewi', email: 'sari@mail.id', default_payment: 'OVO', phone: null, country: 'ID', created_at: at, updated_at: at },
        created,
      ),
    ],
    products: [partitioned({ product_id: 'p1', product_name: 'Kopi Arabika', category: 'grocery', price: '100000', created_at: at, updated_at: at }, created)],
  };
}

export function shadowFixture(): Record<'users' | 'products' | 'orders' | 'decisions' | 'shadow_decisions' | 'order_outcomes', RawRow[]> {
  const orders = SHADOW_ORDERS.map(([id, local, live, candidate2, candidate3]) => ({ id, placed: jakarta(local), live, candidate2, candidate3 }));
  const a2 = orders.find((order) => order.id === 'a2') as (typeof orders)[number];
  return {
    ...catalogRows(),
    orders: orders.map(({ id, placed }) => orderRow(id, placed)),
    decisions: orders.map(({ id, placed, live }) => liveDecisionRow(id, placed, live)),
    shadow_decisions: [
      ...orders.flatMap(({ id, placed, candidate2 }) => (candidate2 ? [shadowDecisionRow(id, placed, 2, candidate2)] : [])),
      ...orders.flatMap(({ id, placed, candidate3 }) => (candidate3 ? [shadowDecisionRow(id, placed, 3, candidate3)] : [])),
      shadowDecisionRow(a2.id, a2.placed, 2, a2.candidate2 as Decision, 2),
    ],
    order_outcomes: SHADOW_OUTCOMES.map(([outcome, order, kind, label, local]) =>
      partitioned(
        {
          outcome_id: outcome, order_id: order, kind, label, amount: kind === 'analyst_verdict' ? null : '100000',
          occurred_at: sqlTimestamp(jakarta(local)), known_at: sqlTimestamp(jakarta(local)), source: 'fixture',
        },
        jakarta(local),
      ),
    ),
  };
}
