import { migrateToLatest, openDatabase, type OltpDatabase } from '@fraudline/db';
import type { Layer } from '@fraudline/warehouse';
import pg from 'pg';
import { DAY_1, DAY_2, goldenFixture, ORDERS, OUTCOME_AS_OF, OUTCOME_AS_OF_END, TZ } from '../test/fixture.js';
import { createRawTables, insertRawRows } from '../test/raw-tables.js';
import { SHADOW_AS_OF, SHADOW_DAY, SHADOW_NEXT_DAY, shadowFixture } from '../test/shadow-fixture.js';
import { ENGINES, openTestWarehouse, tableRows, type Engine, type TestWarehouse } from '../test/warehouses.js';
import { LABEL_MATURITY_DAYS } from './models/index.js';
import { publishRiskList } from './publish-risk-list.js';
import { runModels, type RunResult } from './runner.js';

/** The outcome loop's marts and seed A's status mart beside them, with everything they and their tests read. */
const SELECT = ['+mart_rule_quality_daily', '+mart_ruleset_quality_daily', '+mart_label_risk_list', '+mart_user_fraud_status', '+dim_products'];

/** Runs the fixture's two days with the interval ending 2024-04-01, so the as-of time is 2024-04-01 00:00 Jakarta. */
async function buildAsOfRunEnd(env: TestWarehouse): Promise<RunResult> {
  await createRawTables(env.warehouse);
  await insertRawRows(env.warehouse, goldenFixture());
  return runModels({ warehouse: env.warehouse, tz: TZ, start: DAY_1, end: OUTCOME_AS_OF_END, select: SELECT, log: () => undefined });
}

it('judges at a run end thirty days after the fixture’s first day ends', () => {
  expect(LABEL_MATURITY_DAYS).toBe(30);
  expect(OUTCOME_AS_OF.toISOString()).toBe('2024-03-31T17:00:00.000Z');
});

const built = new Map<Engine, { env: TestWarehouse; result: RunResult }>();

beforeAll(async () => {
  for (const engine of ENGINES) {
    const env = await openTestWarehouse(engine);
    built.set(engine, { env, result: await buildAsOfRunEnd(env) });
  }
}, 600_000);

afterAll(async () => {
  for (const { env } of built.values()) await env.close();
});

const setup = (engine: Engine) => built.get(engine) as { env: TestWarehouse; result: RunResult };
const rows = (engine: Engine, layer: Layer, name: string, columns: readonly string[], orderBy: string) =>
  tableRows(setup(engine).env.warehouse, layer, name, columns, orderBy);

describe.each(ENGINES)('the outcome loop as of the run end on %s', (engine) => {
  it('builds the selected models and passes every data test', () => {
    const { result } = setup(engine);
    expect(result.status).toBe('success');
    expect(result.models.filter((model) => model.status !== 'success')).toEqual([]);
    expect(result.tests.filter((test) => test.status !== 'pass').map((test) => [test.name, test.status])).toEqual([]);
  });

  it('stg_order_outcomes: one row per outcome, the later load of a corrected outcome wins', async () => {
    const outcomes = await rows(engine, 'staging', 'stg_order_outcomes', ['outcome_id', 'kind', 'label', 'amount', 'known_at'], 'outcome_id');
    expect(outcomes).toHaveLength(14);
    expect(outcomes.filter(([id]) => id === 'cb-o16' || id === 'cb-o03' || id === 'verdict-o04')).toEqual([
      ['cb-o03', 'chargeback', null, '500000', '2024-03-12T03:00:00.000Z'],
      ['cb-o16', 'chargeback', 'fraud', '12500000', '2024-03-15T03:00:00.000Z'],
      ['verdict-o04', 'analyst_verdict', 'legitimate', null, '2024-03-05T02:00:00.000Z'],
    ]);
  });

  it('fct_order_verdicts: the order_verdicts precedence, over the outcomes known before the as-of time', async () => {
    const columns = ['order_id', 'label', 'kind', 'outcome_id', 'known_at', 'fraud_outcomes', 'legitimate_outcomes'];
    expect(await rows(engine, 'core', 'fct_order_verdicts', columns, 'order_id')).toEqual([
      // A later analyst verdict clears a fraud refund.
      ['o04', 'legitimate', 'analyst_verdict', 'verdict-o04', '2024-03-05T02:00:00.000Z', '1', '1'],
      // The latest of two analyst verdicts wins.
      ['o07', 'fraud', 'analyst_verdict', 'verdict-o07-2', '2024-03-04T05:00:00.000Z', '1', '1'],
      // Two fraud outcomes: labelled once, when the first became known.
      ['o14', 'fraud', 'fraud_refund', 'refund-o14', '2024-03-02T01:00:00.000Z', '2', '0'],
      // Fraud outweighs a customer's confirmation.
      ['o16', 'fraud', 'chargeback', 'cb-o16', '2024-03-15T03:00:00.000Z', '1', '1'],
      ['o17', 'fraud', 'fraud_refund', 'refund-o17', '2024-03-01T23:00:00.000Z', '1', '0'],
      ['o30', 'fraud', 'chargeback', 'cb-o30', '2024-03-25T03:00:00.000Z', '1', '0'],
      ['o33', 'legitimate', 'customer_confirmation', 'confirm-o33', '2024-03-01T05:00:00.000Z', '0', '1'],
      ['o35', 'fraud', 'chargeback', 'cb-o35', '2024-03-28T03:00:00.000Z', '1', '0'],
      // o03's dispute carries no label; o29's chargeback is known only on 2024-04-02, after the as-of time.
    ]);
  });

  it(`fct_decision_labels: unlabelled orders are legitimate only when older than ${LABEL_MATURITY_DAYS} days at the as-of time`, async () => {
    const columns = ['order_id', 'decision_source', 'order_date_local', 'decision', 'is_alert', 'label', 'label_status'];
    const labels = await rows(engine, 'core', 'fct_decision_labels', columns, 'order_id');
    expect(labels).toHaveLength(38);
    expect(labels.filter(([id]) => ['o03', 'o04', 'o09', 'o12', 'o29', 'o35'].includes(String(id)))).toEqual([
      // Day 1, unlabelled (a dispute is no label) and old enough: legitimate.
      ['o03', 'live', DAY_1, 'decline', true, null, 'legitimate'],
      // Day 2, but labelled: labels count whatever the order's age.
      ['o04', 'live', DAY_2, 'decline', true, 'legitimate', 'legitimate'],
      // 23:59:59 on day 1: one second older than thirty days, so legitimate.
      ['o09', 'live', DAY_1, 'decline', true, null, 'legitimate'],
      // 00:00:00 on day 2: exactly thirty days old, not older, so unknown.
      ['o12', 'live', DAY_2, 'approve', false, null, 'unknown'],
      // Its chargeback became known after the as-of time.
      ['o29', 'live', DAY_2, 'decline', true, null, 'unknown'],
      ['o35', 'live', DAY_2, 'approve', false, 'fraud', 'fraud'],
    ]);
  });

  it('mart_rule_quality_daily: fires per rule split by label, young unlabelled orders unknown, precision over the judged ones', async () => {
    const columns = ['order_date_local', 'decision_source', 'ruleset_id', 'ruleset_version', 'rule_id', 'fires', 'fraud_fires', 'legitimate_fires', 'unknown_fires', 'precision'];
    expect(await rows(engine, 'marts', 'mart_rule_quality_daily', columns, 'order_date_local, rule_id')).toEqual([
      // o09 (old, unlabelled: legitimate), o14 and o30 (fraud).
      [DAY_1, 'live', 'default', '1', 'geo_mismatch', '3', '2', '1', '0', '0.6667'],
      [DAY_1, 'live', 'default', '1', 'new_device', '2', '1', '1', '0', '0.5'],
      // o02 (unlabelled) and o03 (a dispute only) are old enough to be legitimate; o16 and o17 are fraud.
      [DAY_1, 'live', 'default', '1', 'night_high_value', '4', '2', '2', '0', '0.5'],
      [DAY_1, 'live', 'default', '1', 'velocity_burst', '4', '3', '1', '0', '0.75'],
      // Day 2's unlabelled orders are too young to judge: unknown, and no precision.
      [DAY_2, 'live', 'default', '1', 'geo_mismatch', '2', '0', '0', '2', null],
      [DAY_2, 'live', 'default', '1', 'new_device', '4', '0', '0', '4', null],
      // o04 cleared by an analyst (legitimate), o31 unknown.
      [DAY_2, 'live', 'default', '1', 'night_high_value', '2', '0', '1', '1', '0'],
      [DAY_2, 'live', 'default', '1', 'velocity_burst', '1', '0', '1', '0', '0'],
    ]);
  });

  it('mart_ruleset_quality_daily: alerts, the confusion matrix with unknowns, precision and recall per day', async () => {
    const columns = [
      'order_date_local', 'decision_source', 'ruleset_id', 'ruleset_version', 'orders', 'alerts', 'alert_rate',
      'true_positives', 'false_positives', 'false_negatives', 'true_negatives', 'unknown_orders', 'precision', 'recall',
    ];
    expect(await rows(engine, 'marts', 'mart_ruleset_quality_daily', columns, 'order_date_local')).toEqual([
      [DAY_1, 'live', 'default', '1', '21', '9', '0.4286', '5', '4', '0', '12', '0', '0.5556', '1'],
      // o04 is the only judged alert (a false positive), o35 the fraud the rules approved; 15 orders are unknown.
      [DAY_2, 'live', 'default', '1', '17', '7', '0.4118', '0', '1', '1', '0', '15', '0', '0'],
    ]);
  });

  it('mart_label_risk_list: statuses from fraud labels; seed A’s mart beside it still counts the rules’ declines', async () => {
    const columns = ['user_id', 'total_orders', 'labelled_orders', 'fraud_orders', 'last_fraud_known_at', 'risk_status'];
    expect(await rows(engine, 'marts', 'mart_label_risk_list', columns, 'user_id')).toEqual([
      ['u01', '5', '1', '0', null, 'Good Standing'],
      ['u02', '4', '1', '1', '2024-03-04T05:00:00.000Z', 'Watchlist'],
      ['u03', '4', '0', '0', null, 'Good Standing'],
      ['u04', '2', '1', '1', '2024-03-02T01:00:00.000Z', 'Watchlist'],
      ['u05', '4', '2', '2', '2024-03-15T03:00:00.000Z', 'Blacklist'],
      ['u06', '0', '0', '0', null, 'Good Standing'],
      ['u07', '6', '0', '0', null, 'Good Standing'],
      ['u08', '4', '0', '0', null, 'Good Standing'],
      ['u09', '3', '1', '1', '2024-03-25T03:00:00.000Z', 'Watchlist'],
      ['u10', '6', '2', '1', '2024-03-28T03:00:00.000Z', 'Watchlist'],
    ]);
    const seedA = await rows(engine, 'marts', 'mart_user_fraud_status', ['user_id', 'fraud_orders', 'user_status'], 'user_id');
    expect(seedA.filter(([id]) => id === 'u01' || id === 'u05')).toEqual([
      ['u01', '3', 'Blacklist'],
      ['u05', '4', 'Blacklist'],
    ]);
  });
});

/** The shadow comparison and the quality marts beside it, with everything they and their tests read. */
const SHADOW_SELECT = ['+mart_shadow_comparison_daily', '+mart_rule_quality_daily', '+mart_ruleset_quality_daily', '+fct_orders', '+dim_users', '+dim_products'];

describe.each(ENGINES)('shadow rulesets judged beside the live one on %s', (engine) => {
  let env: TestWarehouse;
  let result: RunResult;
  const shadowRows = (layer: Layer, name: string, columns: readonly string[], orderBy: string) => tableRows(env.warehouse, layer, name, columns, orderBy);

  beforeAll(async () => {
    env = await openTestWarehouse(engine);
    await createRawTables(env.warehouse);
    await insertRawRows(env.warehouse, shadowFixture());
    result = await runModels({ warehouse: env.warehouse, tz: TZ, asOf: SHADOW_AS_OF, select: SHADOW_SELECT, log: () => undefined });
  }, 600_000);

  afterAll(() => env?.close());

  it('judges as of thirty days and twelve hours after the shadow day began', () => {
    expect(SHADOW_AS_OF.toISOString()).toBe('2024-06-09T05:00:00.000Z');
  });

  it('builds the selected models and passes every data test, the comparison’s own included', () => {
    expect(result.status).toBe('success');
    expect(result.models.filter((model) => model.status !== 'success')).toEqual([]);
    expect(result.tests.filter((test) => test.status !== 'pass').map((test) => [test.name, test.status])).toEqual([]);
    expect(result.tests.filter((test) => test.model === 'mart_shadow_comparison_daily').map((test) => test.name)).toEqual([
      'not_null_mart_shadow_comparison_daily_order_date_local',
      'not_null_mart_shadow_comparison_daily_live_ruleset_id',
      'not_null_mart_shadow_comparison_daily_live_ruleset_version',
      'not_null_mart_shadow_comparison_daily_shadow_ruleset_id',
      'not_null_mart_shadow_comparison_daily_shadow_ruleset_version',
      'unique_mart_shadow_comparison_daily_order_date_local_live_ruleset_id_live_ruleset_version_shadow_ruleset_id_shadow_ruleset_version',
      'accepted_range_mart_shadow_comparison_daily_agreement_rate',
      'accepted_range_mart_shadow_comparison_daily_live_precision',
      'accepted_range_mart_shadow_comparison_daily_shadow_precision',
      'mart_shadow_comparison_daily_orders_add_up',
      'mart_shadow_comparison_daily_judged_within_flags',
    ]);
  });

  it('stg_shadow_decisions: one row per order and shadow ruleset version, a reloaded decision once', async () => {
    const columns = ['order_id', 'ruleset_id', 'ruleset_version', 'decision', 'score', 'rule_failures'];
    expect(await shadowRows('staging', 'stg_shadow_decisions', columns, 'ruleset_version, order_id')).toEqual([
      ['a1', 'candidate', '2', 'decline', '80', null],
      ['a2', 'candidate', '2', 'approve', '0', null],
      ['a3', 'candidate', '2', 'review', '50', null],
      ['a4', 'candidate', '2', 'approve', '0', null],
      ['a5', 'candidate', '2', 'decline', '80', null],
      ['b1', 'candidate', '2', 'review', '50', null],
      ['a1', 'candidate', '3', 'review', '50', null],
    ]);
  });

  it('fct_decision_labels: every live and shadow decision with its order’s label status', async () => {
    const columns = ['order_id', 'decision_source', 'ruleset_id', 'ruleset_version', 'order_date_local', 'decision', 'is_alert', 'label_status'];
    expect(await shadowRows('core', 'fct_decision_labels', columns, 'order_id, decision_source, ruleset_version')).toEqual([
      ['a1', 'live', 'default', '4', SHADOW_DAY, 'decline', true, 'fraud'],
      ['a1', 'shadow', 'candidate', '2', SHADOW_DAY, 'decline', true, 'fraud'],
      ['a1', 'shadow', 'candidate', '3', SHADOW_DAY, 'review', true, 'fraud'],
      ['a2', 'live', 'default', '4', SHADOW_DAY, 'review', true, 'fraud'],
      ['a2', 'shadow', 'candidate', '2', SHADOW_DAY, 'approve', false, 'fraud'],
      ['a3', 'live', 'default', '4', SHADOW_DAY, 'decline', true, 'legitimate'],
      ['a3', 'shadow', 'candidate', '2', SHADOW_DAY, 'review', true, 'legitimate'],
      // Unlabelled at 11:00: older than thirty days at the as-of time, so legitimate.
      ['a4', 'live', 'default', '4', SHADOW_DAY, 'approve', false, 'legitimate'],
      ['a4', 'shadow', 'candidate', '2', SHADOW_DAY, 'approve', false, 'legitimate'],
      // Unlabelled at 20:00: not yet thirty days old, so unknown, not legitimate.
      ['a5', 'live', 'default', '4', SHADOW_DAY, 'approve', false, 'unknown'],
      ['a5', 'shadow', 'candidate', '2', SHADOW_DAY, 'decline', true, 'unknown'],
      ['a6', 'live', 'default', '4', SHADOW_DAY, 'review', true, 'legitimate'],
      ['b1', 'live', 'default', '4', SHADOW_NEXT_DAY, 'approve', false, 'fraud'],
      ['b1', 'shadow', 'candidate', '2', SHADOW_NEXT_DAY, 'review', true, 'fraud'],
    ]);
  });

  it('mart_shadow_comparison_daily: agreement, one-sided flags, each side’s precision over its judged flags, and the fraud each catches alone', async () => {
    const columns = [
      'order_date_local', 'live_ruleset_id', 'live_ruleset_version', 'shadow_ruleset_id', 'shadow_ruleset_version', 'orders', 'agreements', 'agreement_rate',
      'both_flag', 'only_live', 'only_shadow', 'neither', 'live_true_positives', 'live_false_positives', 'live_precision',
      'shadow_true_positives', 'shadow_false_positives', 'shadow_precision', 'only_live_fraud', 'only_shadow_fraud', 'unknown_orders',
    ];
    expect(await shadowRows('marts', 'mart_shadow_comparison_daily', columns, 'order_date_local, shadow_ruleset_version')).toEqual([
      // a1..a5 (a6 has no shadow decision): a1 and a4 agree; a1 and a3 both flagged, a2 only live, a5 only shadow, a4 neither.
      // Live flags a1 (fraud), a2 (fraud), a3 (legitimate): 2/3. Shadow flags a1 (fraud), a3 (legitimate) and a5, whose
      // label is not known yet: 1/2, not 1/3. Only the live ruleset catches a2's fraud.
      [SHADOW_DAY, 'default', '4', 'candidate', '2', '5', '2', '0.4', '2', '1', '1', '1', '2', '1', '0.6667', '1', '1', '0.5', '1', '0', '1'],
      // a1 alone: both flag it, with different decisions (decline, review).
      [SHADOW_DAY, 'default', '4', 'candidate', '3', '1', '0', '0', '1', '0', '0', '0', '1', '0', '1', '1', '0', '1', '0', '0', '0'],
      // b1, on its business day (still the shadow day in UTC): only the shadow ruleset catches its fraud; no live flag, no live precision.
      [SHADOW_NEXT_DAY, 'default', '4', 'candidate', '2', '1', '0', '0', '0', '0', '1', '0', '0', '0', null, '1', '0', '1', '0', '1', '0'],
    ]);
  });

  it('mart_ruleset_quality_daily and mart_rule_quality_daily: shadow rulesets under their own decision_source', async () => {
    const grain = ['order_date_local', 'decision_source', 'ruleset_id', 'ruleset_version'];
    const rulesetColumns = [...grain, 'orders', 'alerts', 'alert_rate', 'true_positives', 'false_positives', 'false_negatives', 'true_negatives', 'unknown_orders', 'precision', 'recall'];
    expect(await shadowRows('marts', 'mart_ruleset_quality_daily', rulesetColumns, 'order_date_local, decision_source, ruleset_version')).toEqual([
      // a6 (reviewed, unlabelled, old enough) is the live ruleset's second false positive.
      [SHADOW_DAY, 'live', 'default', '4', '6', '4', '0.6667', '2', '2', '0', '1', '1', '0.5', '1'],
      // The shadow ruleset approved a2, a fraud.
      [SHADOW_DAY, 'shadow', 'candidate', '2', '5', '3', '0.6', '1', '1', '1', '1', '1', '0.5', '0.5'],
      [SHADOW_DAY, 'shadow', 'candidate', '3', '1', '1', '1', '1', '0', '0', '0', '0', '1', '1'],
      [SHADOW_NEXT_DAY, 'live', 'default', '4', '1', '0', '0', '0', '0', '1', '0', '0', null, '0'],
      [SHADOW_NEXT_DAY, 'shadow', 'candidate', '2', '1', '1', '1', '1', '0', '0', '0', '0', '1', '1'],
    ]);
    const ruleColumns = [...grain, 'rule_id', 'fires', 'fraud_fires', 'legitimate_fires', 'unknown_fires', 'precision'];
    expect(await shadowRows('marts', 'mart_rule_quality_daily', ruleColumns, 'order_date_local, decision_source, ruleset_version, rule_id')).toEqual([
      [SHADOW_DAY, 'live', 'default', '4', 'velocity_burst', '4', '2', '2', '0', '0.5'],
      [SHADOW_DAY, 'shadow', 'candidate', '2', 'device_risk', '3', '1', '1', '1', '0.5'],
      [SHADOW_DAY, 'shadow', 'candidate', '3', 'device_risk', '1', '1', '0', '0', '1'],
      [SHADOW_NEXT_DAY, 'shadow', 'candidate', '2', 'device_risk', '1', '1', '0', '0', '1'],
    ]);
  });
});

describe('publishing the label-based list into a real OLTP Postgres', () => {
  let env: TestWarehouse;
  let oltp: OltpDatabase;
  let session: pg.Client;

  beforeAll(async () => {
    env = await openTestWarehouse('postgres');
    oltp = await openDatabase({ kind: 'postgres', url: env.databaseUrl as string });
    await migrateToLatest(oltp.db);
    session = new pg.Client({ connectionString: env.databaseUrl });
    await session.connect();
    expect((await buildAsOfRunEnd(env)).status).toBe('success');
  });

  afterAll(async () => {
    await session?.end();
    await oltp?.close();
    await env?.close();
  });

  it('does not blacklist a user the rules declined three times without a fraud label, and blacklists one with two fraud labels', async () => {
    const publishedAt = new Date('2024-04-01T01:00:00Z');
    await expect(publishRiskList({ warehouse: env.warehouse, oltp: session, publishedAt })).resolves.toEqual({ published: 10, publishedAt });
    const { rows: list } = await session.query<{ user_id: string; risk_status: string; fraud_orders: number; total_orders: number }>(
      'SELECT user_id, risk_status, fraud_orders, total_orders FROM risk_list ORDER BY user_id',
    );
    expect(ORDERS.filter(([, user, , , , , , , decision]) => user === 'u01' && decision === 'decline').map(([order]) => order)).toEqual(['o02', 'o03', 'o04']);
    expect(list.find((row) => row.user_id === 'u01')).toEqual({ user_id: 'u01', risk_status: 'Good Standing', fraud_orders: 0, total_orders: 5 });
    expect(list.find((row) => row.user_id === 'u05')).toEqual({ user_id: 'u05', risk_status: 'Blacklist', fraud_orders: 2, total_orders: 4 });
    expect(list.filter((row) => row.risk_status === 'Blacklist').map((row) => row.user_id)).toEqual(['u05']);
    expect(list.filter((row) => row.risk_status === 'Watchlist').map((row) => row.user_id)).toEqual(['u02', 'u04', 'u09', 'u10']);
  });
});
