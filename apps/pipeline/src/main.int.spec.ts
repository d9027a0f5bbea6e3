import { countRows, openDatabase, type OltpDatabase } from '@fraudline/db';
import { startOrderSubscriber } from '@fraudline/decisioning';
import { openEventLog } from '@fraudline/streaming';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { checkReportInBrowser, detectionQuality } from '@fraudline/pipeline';
import { createTestDatabase, findWorkspaceRoot, HEADLESS_CHROMIUM_ARGS, requireChromium, requireService } from '@fraudline/testing';
import { warehouseFromSettings, type Warehouse } from '@fraudline/warehouse';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = findWorkspaceRoot()!;
const ORDERS = 2000;
const DAYS = 2;

interface Setup {
  env: NodeJS.ProcessEnv;
  openOltp(): Promise<OltpDatabase>;
  cleanup(): Promise<void>;
}

/** The main job on embedded defaults, and on real Kafka, Postgres and the BigQuery emulator. */
const setups: Record<string, () => Promise<Setup>> = {
  embedded: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fraudline-main-'));
    const env = { ...process.env, DATA_DIR: dataDir, KAFKA_BROKERS: '', DATABASE_URL: '', WAREHOUSE: 'postgres', BIGQUERY_EMULATOR_HOST: '' };
    return {
      env,
      openOltp: () => openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') }),
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
  'real services': async () => {
    const { KAFKA_BROKERS } = await requireService('kafka');
    const { BIGQUERY_EMULATOR_HOST, BIGQUERY_PROJECT } = await requireService('bigquery');
    const database = await createTestDatabase('main_job');
    const dataDir = mkdtempSync(join(tmpdir(), 'fraudline-main-'));
    const id = randomUUID().slice(0, 8).replace(/-/g, '');
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      KAFKA_BROKERS,
      DATABASE_URL: database.url,
      WAREHOUSE: 'bigquery',
      BIGQUERY_EMULATOR_HOST,
      BIGQUERY_PROJECT,
      BIGQUERY_DATASET_PREFIX: `main_${id}_`,
      ORDERS_TOPIC: `orders-${id}`,
      SUBSCRIBER_GROUP: `main-${id}`,
    };
    return {
      env,
      openOltp: () => openDatabase({ kind: 'postgres', url: database.url }),
      cleanup: async () => {
        rmSync(dataDir, { recursive: true, force: true });
        await database.drop();
      },
    };
  },
};

describe.each(Object.keys(setups))('the main job (%s)', (name) => {
  let setup: Setup;
  let output: string;
  let exitCode: number | null;
  let oltp: OltpDatabase;
  let warehouse: Warehouse;
  const report = join(root, 'reports', `main-job-${name.replace(/\W/g, '-')}.html`);

  beforeAll(async () => {
    setup = await setups[name]!();
    const run = spawnSync(
      process.execPath,
      [
        '--conditions=@fraudline/source',
        '--import',
        'tsx',
        'apps/pipeline/src/main.ts',
        '--orders',
        String(ORDERS),
        '--days',
        String(DAYS),
        '--seed',
        '5',
        '--report',
        report,
      ],
      { cwd: root, env: setup.env, encoding: 'utf8', timeout: 600_000 },
    );
    output = run.stdout + run.stderr;
    exitCode = run.status;
    oltp = await setup.openOltp();
    const settings = {
      WAREHOUSE: setup.env['WAREHOUSE'] as 'postgres' | 'bigquery',
      BIGQUERY_PROJECT: setup.env['BIGQUERY_PROJECT'],
      BIGQUERY_EMULATOR_HOST: setup.env['BIGQUERY_EMULATOR_HOST'],
      BIGQUERY_DATASET_PREFIX: setup.env['BIGQUERY_DATASET_PREFIX'],
    };
    warehouse = warehouseFromSettings(settings, oltp);
  }, 660_000);
  afterAll(async () => {
    await warehouse?.close();
    await oltp?.close();
    await setup?.cleanup();
  });

  const count = async (layer: 'raw' | 'staging' | 'core' | 'marts', table: string) =>
    Number((await warehouse.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${warehouse.table(layer, table)}`))[0]!.n);

  it('runs every stage and says which adapters it used', () => {
    expect({ exitCode, tail: output.slice(-2000) }).toEqual({ exitCode: 0, tail: expect.any(String) });
    expect(output.split('\n')[0]).toMatch(/^adapters: event log = (Kafka|file topic log)/);
    for (const stage of ['catalog', 'produce', 'decide', 'outcomes', 'backtest', 'load', 'transform', 'report']) expect(output).toMatch(new RegExp(`✓ ${stage}\\s+\\d+\\.\\d s`));
  });

  it('records the chargebacks of injected fraud known by now as labels, through the outcomes topic', async () => {
    const outcomes = await oltp.db.selectFrom('order_outcomes as c').innerJoin('order_labels as l', 'l.order_id', 'c.order_id').select(['c.label', 'l.is_fraud']).execute();
    expect(outcomes.length).toBeGreaterThan(0);
    // Fraud chargebacks only on injected fraud; service disputes (no label) only on genuine orders.
    expect(outcomes.filter((o) => o.label === 'fraud').every((o) => o.is_fraud)).toBe(true);
    expect(outcomes.filter((o) => o.label === null).every((o) => !o.is_fraud)).toBe(true);
    const fraudOrders = await countRows(oltp.db, 'order_labels');
    expect(outcomes.length).toBeLessThan(fraudOrders);
  });

  it('has every order in every layer', async () => {
    const oltpCount = (table: 'orders' | 'decisions' | 'order_labels') => countRows(oltp.db, table);
    expect(await oltpCount('orders')).toBe(ORDERS);
    expect(await oltpCount('decisions')).toBe(ORDERS);
    expect(await oltpCount('order_labels')).toBe(ORDERS);
    expect(await count('raw', 'orders')).toBe(ORDERS);
    expect(await count('raw', 'decisions')).toBe(ORDERS);
    expect(await count('staging', 'stg_orders')).toBe(ORDERS);
    expect(await count('core', 'fct_orders')).toBe(ORDERS);
    const users = Number(
      (
        await oltp.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(await count('core', 'dim_users')).toBe(users);
    expect(await count('marts', 'mart_user_fraud_status')).toBe(users);
    const kpis = await warehouse.query<{ orders: unknown }>(`SELECT orders FROM ${warehouse.table('marts', 'mart_daily_fraud_kpis')}`);
    expect(kpis.length).toBe(DAYS);
    expect(kpis.reduce((sum, row) => sum + Number(row.orders), 0)).toBe(ORDERS);
  });

  it('decides every order in shadow with seed-legacy too, and backtests both, each reproducing every decision it stored, live or in shadow', async () => {
    const shadows = await oltp.db.selectFrom('shadow_decisions').select(['ruleset_id', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('ruleset_id').execute();
    expect(shadows.map((row) => [row.ruleset_id, Number(row.n)])).toEqual([['seed-legacy', ORDERS]]);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(new RegExp(`<tr><td>default@\\d+</td><td>${ORDERS}</td>(<td>[^<]*</td>){7}<td>0</td><td>${ORDERS} of ${ORDERS}</td></tr>`));
    expect(html).toMatch(new RegExp(`<tr><td>seed-legacy@1</td><td>${ORDERS}</td>(<td>[^<]*</td>){8}<td>${ORDERS} of ${ORDERS} \\(shadow\\)</td></tr>`));
  });

  it("keeps seed A's status on the rules' own declines, and publishes the blacklist of users with two orders labelled fraud", async () => {
    const usersWith = (rows: { user_id: string; n: string }[], atLeast: number) =>
      rows
        .filter((row) => Number(row.n) >= atLeast)
        .map((row) => row.user_id)
        .sort();
    const declined = await oltp.db
      .selectFrom('orders as o')
      .innerJoin('decisions as d', 'd.order_id', 'o.order_id')
      .select(['o.user_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('d.is_fraud', '=', true)
      .groupBy('o.user_id')
      .execute();
    const seedA = await warehouse.query<{ user_id: string }>(
      `SELECT user_id FROM ${warehouse.table('marts', 'mart_user_fraud_status')} WHERE user_status = 'Blacklist'`,
    );
    expect(seedA.map((row) => row.user_id).sort()).toEqual(usersWith(declined, 3));
    // Every outcome of the run is known by the end of the run's last day, so the OLTP verdicts are the labels it read.
    const labelled = await oltp.db
      .selectFrom('order_verdicts as v')
      .innerJoin('orders as o', 'o.order_id', 'v.order_id')
      .select(['o.user_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('v.label', '=', 'fraud')
      .groupBy('o.user_id')
      .execute();
    const expected = usersWith(labelled, 2);
    expect(expected.length).toBeGreaterThan(0);
    const mart = await warehouse.query<{ user_id: string }>(`SELECT user_id FROM ${warehouse.table('marts', 'mart_label_risk_list')} WHERE risk_status = 'Blacklist'`);
    expect(mart.map((row) => row.user_id).sort()).toEqual(expected);
    const published = await oltp.db.selectFrom('risk_list').select('user_id').where('risk_status', '=', 'Blacklist').execute();
    expect(published.map((row) => row.user_id).sort()).toEqual(expected);
    expect(output).toContain(`risk list    ${expected.length} blacklisted`);
  });

  it('closes the loop: the next streaming order of a blacklisted user is declined because of the published risk list', async () => {
    const [blacklisted] = await oltp.db.selectFrom('risk_list').select('user_id').where('risk_status', '=', 'Blacklist').orderBy('user_id').limit(1).execute();
    expect(blacklisted).toBeDefined();
    const [template] = await oltp.db.selectFrom('raw.order_events').select('message').where('message_key', '=', blacklisted!.user_id).limit(1).execute();
    // A fresh order of that user, without generator ground truth, so the quality figures below stay those of the run.
    const { simulation: _groundTruth, ...message } = JSON.parse(template!.message) as Record<string, unknown>;
    const order = { ...message, orderId: '019aa000-0000-7000-8000-00000000b1ac', placedAt: new Date().toISOString() };
    const log = openEventLog({ brokers: setup.env['KAFKA_BROKERS'] ? setup.env['KAFKA_BROKERS'].split(',') : undefined, dataDir: setup.env['DATA_DIR']! });
    const topic = setup.env['ORDERS_TOPIC'] ?? 'orders';
    const producer = await log.producer();
    await producer.send(topic, [{ key: blacklisted!.user_id, value: JSON.stringify(order) }]);
    await producer.disconnect();
    const subscriber = await startOrderSubscriber({
      database: oltp,
      log,
      registry: new Registry(),
      logger: pino({ level: 'silent' }),
      groupId: setup.env['SUBSCRIBER_GROUP'] ?? 'fraudline-subscriber',
      topic,
      timeZone: 'Asia/Jakarta',
    });
    try {
      const deadline = Date.now() + 60_000;
      while ((await subscriber.lag()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await subscriber.stop();
      await log.close();
    }
    const decision = await oltp.db.selectFrom('decisions').select(['decision', 'reasons']).where('order_id', '=', order.orderId).executeTakeFirstOrThrow();
    expect(decision.decision).toBe('decline');
    expect(decision.reasons.map((reason) => reason.ruleId)).toContain('blacklisted-user');
  }, 120_000);

  it('reports precision and recall that match the ground truth', async () => {
    const labelled = await oltp.db
      .selectFrom('decisions as d')
      .innerJoin('order_labels as l', 'l.order_id', 'd.order_id')
      .select(['d.is_fraud as predicted', 'l.is_fraud as actual'])
      .execute();
    const quality = detectionQuality(labelled);
    const tp = labelled.filter((row) => row.predicted && row.actual).length;
    const flagged = labelled.filter((row) => row.predicted).length;
    const fraud = labelled.filter((row) => row.actual).length;
    expect(quality.precision).toBeCloseTo(tp / flagged, 10);
    expect(quality.recall).toBeCloseTo(tp / fraud, 10);
    const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
    expect(output).toContain(`default      precision ${pct(quality.precision)} · recall ${pct(quality.recall)} · F1 ${pct(quality.f1)}`);
    expect(output).toMatch(/seed-legacy {2}precision \d+\.\d% · recall \d+\.\d%/);
  });

  it('writes a report whose every chart renders with data in headless Chromium, with no console errors', async () => {
    const check = await checkReportInBrowser({
      file: report,
      executablePath: requireChromium(),
      args: HEADLESS_CHROMIUM_ARGS,
      screenshot: report.replace(/\.html$/, '.png'),
    });
    expect(check.consoleErrors).toEqual([]);
    expect(check.renderedCharts).toHaveLength(6);
    for (const [chart, shapes] of Object.entries(check.shapesPerChart)) expect({ chart, drawn: shapes > 2 }).toEqual({ chart, drawn: true });
    const html = readFileSync(report, 'utf8');
    const blacklisted = Number((await oltp.db.selectFrom('risk_list').select((eb) => eb.fn.countAll<string>().as('n')).where('risk_status', '=', 'Blacklist').executeTakeFirstOrThrow()).n);
    expect(html).toContain(`<div class="meta" id="label-risk-list">${blacklisted} blacklisted · `);
    // Per-rule quality from the warehouse: the run's orders are too young for an unlabelled one to count as legitimate.
    const rules = [...html.matchAll(/<tr><td>([^<]+)<\/td><td>default<\/td><td>(\d+)<\/td><td>([^<]+)<\/td><td>(\d+)<\/td><\/tr>/g)];
    expect(rules.length).toBeGreaterThan(0);
    for (const [, rule, fires, precision, unknown] of rules) {
      expect({ rule, unknownAtMostFires: Number(unknown) <= Number(fires), precision: precision === 'n/a' || /^\d+\.\d%$/.test(precision!) }).toEqual({ rule, unknownAtMostFires: true, precision: true });
    }
  }, 120_000);
});
