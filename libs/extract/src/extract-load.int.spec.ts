import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { migrateToLatest, openDatabase, type Database, type OltpDatabase } from '@fraudline/db';
import { createTestDatabase, requireService, type TestDatabase } from '@fraudline/testing';
import {
  bigQueryUtcText,
  bigQueryWarehouse,
  pgliteWarehouse,
  pgUtcText,
  postgresWarehouse,
  RAW_TABLE_NAMES,
  type RawTableName,
  type Warehouse,
} from '@fraudline/warehouse';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { backfill, extractLoad, LoadFailedError, type LoadProgress } from './extract-load.js';
import { ledgerStatus } from './ledger.js';
import { extractSource, pagedSource, type ExtractSource } from './source.js';

const TZ = 'Asia/Jakarta';
const D = '2026-03-10';
const ALL_TABLES = RAW_TABLE_NAMES.length;
/** The BigQuery emulator runs a load or a query in about a second, and a test runs dozens. */
const LOAD_TEST_MS = 240_000;

const order = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
// Jakarta is UTC+7: D runs from 2026-03-09T17:00Z to 2026-03-10T17:00Z.
const ORDER_TIMES: Record<number, string> = {
  1: '2026-03-09T16:59:59.999999Z', // D-1 23:59:59.999999 in Jakarta
  2: '2026-03-09T17:00:00.000000Z', // D 00:00 in Jakarta, still D-1 in UTC
  3: '2026-03-10T16:59:59.999999Z', // D 23:59:59.999999
  4: '2026-03-10T17:00:00.000000Z', // D+1 00:00 in Jakarta, still D in UTC
  5: '2026-03-10T05:34:56.123456Z',
};
const BIG_AMOUNT = '9999999999999999.99';
const REASONS = [
  { ruleId: 'velocity_burst', reason: '6 orders in 10 minutes – über „schnell“ 李', score: 40, action: 'review' },
  { ruleId: 'high_amount', reason: 'amount above Rp 10.000.000', score: 35.5 },
];
const RULE_FAILURES = [{ ruleId: 'card_testing', message: 'index 3 out of range – „Liste“ 李' }];
/** Every character COPY text escapes, and one it passes through raw. */
const MERCHANT_NAME = 'Toko Ñ\t"tab" back\\slash \\N \b\f\v\r\n \u0001 end';
const EVENT = {
  schemaVersion: 1,
  orderId: order(5),
  amount: BIG_AMOUNT,
  customer: { email: 'dede@example.id' },
  tags: [],
  simulation: { pattern: 'velocity_burst', isFraud: true },
};

async function insertFixtures(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('users')
    .values([
      {
        user_id: 'U1',
        first_name: 'Dédé',
        last_name: 'Ñuñez 李',
        email: 'dede@example.id',
        default_payment: 'OVO',
        phone: null,
        country: 'ID',
        created_at: '2026-03-10T05:00:00.000001Z',
        updated_at: '2026-03-10T05:00:00.000001Z',
      },
      {
        user_id: 'U2',
        first_name: 'Budi',
        last_name: 'Santoso',
        email: 'budi@example.id',
        default_payment: 'DANA',
        phone: '+628123',
        country: 'ID',
        created_at: ORDER_TIMES[1],
        updated_at: ORDER_TIMES[1],
      },
    ])
    .execute();
  await db
    .insertInto('products')
    .values({ product_id: 'P1', product_name: 'Emas 1kg', category: 'Jewelry', price: BIG_AMOUNT, updated_at: ORDER_TIMES[2] })
    .execute();
  await db
    .insertInto('merchants')
    .values({ merchant_id: 'M1', merchant_name: MERCHANT_NAME, category: 'Jewelry', country: 'ID', updated_at: ORDER_TIMES[3] })
    .execute();
  await db
    .insertInto('orders')
    .values(
      Object.entries(ORDER_TIMES).map(([n, createdAt]) => ({
        order_id: order(Number(n)),
        user_id: 'U1',
        product_id: 'P1',
        merchant_id: 'M1',
        quantity: 1,
        unit_price: n === '5' ? BIG_AMOUNT : '45000.50',
        amount: n === '5' ? BIG_AMOUNT : '45000.50',
        currency: 'IDR',
        payment_method: 'OVO',
        country: 'ID',
        device_id: 'DEV1',
        ip: '10.0.0.1',
        ip_country: 'ID',
        is_vpn: n === '5',
        email: null,
        created_at: createdAt,
      })),
    )
    .execute();
  await db
    .insertInto('decisions')
    .values({
      order_id: order(5),
      decision: 'review',
      score: 75,
      status: 'genuine',
      is_fraud: false,
      reasons: JSON.stringify(REASONS),
      ruleset_id: 'default',
      ruleset_version: 3,
      latency_ms: '12.345',
      order_created_at: ORDER_TIMES[5] as string,
    })
    .execute();
  // Two shadow rulesets decide the order of D beside the live one (one with a rule that failed at run time); one decides the
  // order of D-1. Each loads on its order's day.
  await db
    .insertInto('shadow_decisions')
    .values([
      {
        order_id: order(5),
        ruleset_id: 'candidate',
        ruleset_version: 7,
        decision: 'decline',
        score: 90,
        reasons: JSON.stringify(REASONS),
        rule_failures: JSON.stringify(RULE_FAILURES),
        order_created_at: ORDER_TIMES[5] as string,
        decided_at: '2026-03-10T05:34:56.200001Z',
      },
      {
        order_id: order(5),
        ruleset_id: 'strict',
        ruleset_version: 1,
        decision: 'approve',
        score: 0,
        reasons: '[]',
        order_created_at: ORDER_TIMES[5] as string,
        decided_at: '2026-03-10T05:34:56.200002Z',
      },
      {
        order_id: order(1),
        ruleset_id: 'candidate',
        ruleset_version: 7,
        decision: 'review',
        score: 55,
        reasons: '[]',
        order_created_at: ORDER_TIMES[1] as string,
      },
    ])
    .execute();
  // A service-dispute chargeback on the order of D-1, known on D: it loads on D, with no label.
  await db
    .insertInto('order_outcomes')
    .values({
      outcome_id: 'cb-1',
      order_id: order(1),
      kind: 'chargeback',
      label: null,
      amount: '45000.25',
      occurred_at: '2026-03-09T17:30:00.000001Z',
      known_at: '2026-03-10T05:00:00.000001Z',
      source: null,
      message: JSON.stringify({ type: 'OrderOutcome', outcomeId: 'cb-1' }),
    })
    .execute();
  await db
    .insertInto('raw.order_events')
    .values({
      topic: 'orders.placed.v1',
      partition: 2,
      offset: '9007199254740993',
      message_key: 'U1',
      order_id: order(5),
      message: JSON.stringify(EVENT),
      received_at: '2026-03-10T05:34:57.000001Z',
    })
    .execute();
}

interface Harness {
  db: Kysely<Database>;
  source: ExtractSource;
  warehouse: Warehouse;
  close(): Promise<void>;
}

let testDb: TestDatabase | undefined;
let oltp: OltpDatabase | undefined;

/** The Postgres OLTP database shared by the Postgres and BigQuery setups (one test database per file). */
async function postgresOltp(): Promise<OltpDatabase> {
  if (!oltp) {
    testDb = await createTestDatabase('extract');
    oltp = await openDatabase({ kind: 'postgres', url: testDb.url });
    await migrateToLatest(oltp.db);
    await insertFixtures(oltp.db);
  }
  await oltp.db.deleteFrom('load_ledger').execute();
  return oltp;
}

const setups: [string, () => Promise<Harness>][] = [
  [
    'Postgres source, Postgres warehouse',
    async () => {
      const source = await postgresOltp();
      return {
        db: source.db,
        source: extractSource(source),
        warehouse: postgresWarehouse(source.pool as NonNullable<typeof source.pool>),
        close: async () => undefined,
      };
    },
  ],
  [
    'Postgres source, BigQuery emulator',
    async () => {
      const { BIGQUERY_EMULATOR_HOST, BIGQUERY_PROJECT } = await requireService('bigquery');
      const source = await postgresOltp();
      const warehouse = bigQueryWarehouse({
        projectId: BIGQUERY_PROJECT ?? 'test',
        emulatorHost: BIGQUERY_EMULATOR_HOST,
        prefix: `t${randomBytes(4).toString('hex')}_`,
      });
      return {
        db: source.db,
        source: extractSource(source),
        warehouse,
        close: async () => {
          for (const layer of ['raw'] as const) await warehouse.client.dataset(warehouse.layerName(layer)).delete({ force: true });
        },
      };
    },
  ],
  [
    'PGlite source and warehouse in one embedded database',
    async () => {
      const lite = new PGlite();
      const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
      await migrateToLatest(db);
      await insertFixtures(db);
      // Two-row pages, so every day with more than one row crosses a page boundary.
      return { db, source: pagedSource(db, 2), warehouse: pgliteWarehouse(lite), close: () => db.destroy() };
    },
  ],
];

afterAll(async () => {
  await oltp?.close();
  await testDb?.drop();
});

describe.each(setups)('daily load: %s', (_name, open) => {
  let h: Harness;
  beforeAll(async () => {
    h = await open();
  }, LOAD_TEST_MS);
  afterAll(() => h?.close(), LOAD_TEST_MS);

  const big = () => h.warehouse.dialect === 'bigquery';
  const quoted = (column: string) => (big() ? `\`${column}\`` : `"${column}"`);
  const text = {
    numeric: (c: string) => (big() ? `CAST(${c} AS STRING)` : `${c}::text`),
    timestamp: (c: string) => (big() ? bigQueryUtcText(c) : pgUtcText(c)),
    json: (c: string) => (big() ? `TO_JSON_STRING(${c})` : `${c}::text`),
    date: (c: string) => (big() ? `CAST(${c} AS STRING)` : `${c}::text`),
  };
  const orderIdsOn = async (date: string) =>
    (
      await h.warehouse.query<{ order_id: string }>(
        `SELECT order_id FROM ${h.warehouse.table('raw', 'orders')} WHERE _logical_date = CAST(@date AS DATE) ORDER BY order_id`,
        { date },
      )
    ).map((row) => row.order_id);
  const rowOf = async (table: RawTableName, select: string, where: string, params: Record<string, unknown>) => {
    const [row] = await h.warehouse.query(`SELECT ${select} FROM ${h.warehouse.table('raw', table)} WHERE ${where}`, params);
    return row;
  };

  it(
    'backfills three days into three partitions, each row in the partition of its business date, with three ledger rows per table',
    async () => {
      const progress: LoadProgress[] = [];
      const results = await backfill({
        source: h.source,
        warehouse: h.warehouse,
        from: '2026-03-09',
        to: '2026-03-11',
        tz: TZ,
        onProgress: (p) => progress.push(p),
      });

      expect(results).toHaveLength(3 * ALL_TABLES);
      expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 3 * ALL_TABLES }, (_, i) => i + 1));
      expect(progress.every((p) => p.total === 3 * ALL_TABLES && p.result !== undefined)).toBe(true);
      expect(await orderIdsOn('2026-03-09')).toEqual([order(1)]);
      expect(await orderIdsOn(D)).toEqual([order(2), order(3), order(5)]);
      expect(await orderIdsOn('2026-03-11')).toEqual([order(4)]);
      const days = await h.warehouse.query<{ d: string; n: unknown }>(
        `SELECT ${text.date('_logical_date')} AS d, COUNT(*) AS n FROM ${h.warehouse.table('raw', 'orders')} GROUP BY _logical_date ORDER BY d`,
      );
      expect(days.map((row) => [row.d, Number(row.n)])).toEqual([
        ['2026-03-09', 1],
        ['2026-03-10', 3],
        ['2026-03-11', 1],
      ]);
      expect(results.filter((r) => r.table === 'users').map((r) => [r.date, r.rows])).toEqual([
        ['2026-03-09', 1],
        ['2026-03-10', 1],
        ['2026-03-11', 0],
      ]);
      expect(results.filter((r) => r.table === 'order_labels').map((r) => r.rows)).toEqual([0, 1, 0]);
      // An outcome is on the day it became known, not on its order's day (D-1).
      expect(results.filter((r) => r.table === 'order_outcomes').map((r) => [r.date, r.rows])).toEqual([
        ['2026-03-09', 0],
        ['2026-03-10', 1],
        ['2026-03-11', 0],
      ]);
      // A shadow decision is on its order's business day, like the live one.
      expect(results.filter((r) => r.table === 'shadow_decisions').map((r) => [r.date, r.rows])).toEqual([
        ['2026-03-09', 1],
        ['2026-03-10', 2],
        ['2026-03-11', 0],
      ]);

      const ledger = await ledgerStatus(h.db);
      expect(ledger).toHaveLength(3 * ALL_TABLES);
      expect(ledger.every((row) => row.status === 'succeeded' && row.attempts === 1 && row.error === null && row.finishedAt !== null)).toBe(true);
      for (const result of results) {
        expect(ledger.find((row) => row.table === result.table && row.date === result.date)).toMatchObject({ rows: result.rows, checksum: result.checksum });
      }
      expect(new Set(ledger.filter((row) => row.table === 'orders').map((row) => row.date))).toEqual(new Set(['2026-03-09', '2026-03-10', '2026-03-11']));
    },
    LOAD_TEST_MS,
  );

  it(
    'replaces the day on every rerun: three loads of D leave one copy with the same count and checksum',
    async () => {
      const runs = [];
      for (let run = 0; run < 3; run += 1) runs.push(await extractLoad({ source: h.source, warehouse: h.warehouse, date: D, tz: TZ }));
      const digests = runs.map((results) => results.map(({ table, rows, checksum }) => ({ table, rows, checksum })));
      expect(digests[1]).toEqual(digests[0]);
      expect(digests[2]).toEqual(digests[0]);
      for (const { table, rows, checksum } of digests[0] ?? []) {
        expect(await h.warehouse.partitionDigest(table, D)).toEqual({ rows, checksum });
      }
      expect(digests[0]?.find((d) => d.table === 'orders')?.rows).toBe(3);
      expect(await orderIdsOn(D)).toEqual([order(2), order(3), order(5)]);
      const [orders] = await ledgerStatus(h.db, { from: D, to: D, tables: ['orders'] });
      expect(orders).toMatchObject({ status: 'succeeded', rows: 3, attempts: 4 });
    },
    LOAD_TEST_MS,
  );

  it(
    'keeps the old partition when a load fails after staging, records the error, and completes on retry',
    async () => {
      const before = await h.warehouse.partitionDigest('orders', D);
      await h.db
        .insertInto('orders')
        .values({
          order_id: order(6),
          user_id: 'U1',
          product_id: 'P1',
          merchant_id: 'M1',
          quantity: 2,
          unit_price: '1.00',
          amount: '2.00',
          currency: 'IDR',
          payment_method: 'OVO',
          country: 'ID',
          device_id: 'DEV1',
          ip: '10.0.0.6',
          ip_country: 'ID',
          is_vpn: false,
          email: null,
          created_at: '2026-03-10T10:00:00Z',
        })
        .execute();
      try {
        const failing = extractLoad({
          source: h.source,
          warehouse: h.warehouse,
          date: D,
          tz: TZ,
          tables: ['orders', 'decisions'],
          hooks: {
            afterStage: (table) => {
              if (table === 'orders') throw new Error('injected crash between stage and swap');
            },
          },
        });
        await expect(failing).rejects.toThrow(LoadFailedError);
        await expect(failing).rejects.toThrow('orders 2026-03-10 (injected crash between stage and swap)');
        expect(await h.warehouse.partitionDigest('orders', D)).toEqual(before);
        expect(await orderIdsOn(D)).toEqual([order(2), order(3), order(5)]);
        const afterFailure = await ledgerStatus(h.db, { from: D, to: D, tables: ['orders', 'decisions'] });
        expect(afterFailure.map(({ table, status, error }) => ({ table, status, error }))).toEqual([
          { table: 'decisions', status: 'succeeded', error: null },
          { table: 'orders', status: 'failed', error: 'Error: injected crash between stage and swap' },
        ]);

        const [retried] = await extractLoad({ source: h.source, warehouse: h.warehouse, date: D, tz: TZ, tables: ['orders'] });
        expect(retried?.rows).toBe(4);
        expect(await orderIdsOn(D)).toEqual([order(2), order(3), order(5), order(6)]);
        expect(await h.warehouse.partitionDigest('orders', D)).toEqual({ rows: 4, checksum: retried?.checksum });
        const [orders] = await ledgerStatus(h.db, { from: D, to: D, tables: ['orders'] });
        expect(orders).toMatchObject({ status: 'succeeded', rows: 4, error: null, attempts: (afterFailure[1]?.attempts ?? 0) + 1 });
      } finally {
        await h.db.deleteFrom('orders').where('order_id', '=', order(6)).execute();
      }
    },
    LOAD_TEST_MS,
  );

  it(
    'round-trips an 18-digit numeric, microseconds, unicode and JSON exactly',
    async () => {
      await extractLoad({ source: h.source, warehouse: h.warehouse, date: D, tz: TZ });
      const on = { id: order(5), date: D };
      expect(
        await rowOf(
          'orders',
          `${text.numeric('amount')} AS amount, ${text.numeric('unit_price')} AS unit_price, ${text.timestamp('created_at')} AS created_at, ip, is_vpn, email`,
          'order_id = @id AND _logical_date = CAST(@date AS DATE)',
          on,
        ),
      ).toEqual({ amount: BIG_AMOUNT, unit_price: BIG_AMOUNT, created_at: '2026-03-10T05:34:56.123456Z', ip: '10.0.0.1', is_vpn: true, email: null });
      expect(await rowOf('users', `first_name, last_name, phone, ${text.timestamp('created_at')} AS created_at`, `user_id = 'U1'`, {})).toEqual({
        first_name: 'Dédé',
        last_name: 'Ñuñez 李',
        phone: null,
        created_at: '2026-03-10T05:00:00.000001Z',
      });
      expect(await rowOf('products', `${text.numeric('price')} AS price`, `product_id = 'P1'`, {})).toEqual({ price: BIG_AMOUNT });
      expect(await rowOf('merchants', 'merchant_name', `merchant_id = 'M1'`, {})).toEqual({ merchant_name: MERCHANT_NAME });
      const decision = await rowOf('decisions', `${text.json('reasons')} AS reasons, ${text.numeric('latency_ms')} AS latency_ms, score`, 'order_id = @id', on);
      expect(JSON.parse(String(decision?.['reasons']))).toEqual(REASONS);
      expect(decision?.['latency_ms']).toBe('12.345');
      expect(Number(decision?.['score'])).toBe(75);
      const event = await rowOf(
        'order_events',
        `${text.json('message')} AS message, ${text.numeric(quoted('offset'))} AS event_offset, ${text.timestamp('received_at')} AS received_at`,
        'order_id = @id',
        on,
      );
      expect(JSON.parse(String(event?.['message']))).toEqual(EVENT);
      expect(event).toMatchObject({ event_offset: '9007199254740993', received_at: '2026-03-10T05:34:57.000001Z' });
      expect(
        await rowOf(
          'order_outcomes',
          `outcome_id, order_id, kind, label, ${text.numeric('amount')} AS amount, ${text.timestamp('occurred_at')} AS occurred_at, ${text.timestamp('known_at')} AS known_at, source`,
          'order_id = @id AND _logical_date = CAST(@date AS DATE)',
          { id: order(1), date: D },
        ),
      ).toEqual({
        outcome_id: 'cb-1',
        order_id: order(1),
        kind: 'chargeback',
        label: null,
        amount: '45000.25',
        occurred_at: '2026-03-09T17:30:00.000001Z',
        known_at: '2026-03-10T05:00:00.000001Z',
        source: null,
      });
      const shadow = (rulesetId: string) =>
        rowOf(
          'shadow_decisions',
          `ruleset_id, ruleset_version, decision, score, ${text.json('reasons')} AS reasons, ${text.json('rule_failures')} AS rule_failures, rule_failures IS NULL AS no_rule_failures, ${text.timestamp('order_created_at')} AS order_created_at, ${text.timestamp('decided_at')} AS decided_at`,
          'order_id = @id AND ruleset_id = @ruleset AND _logical_date = CAST(@date AS DATE)',
          { ...on, ruleset: rulesetId },
        );
      const candidate = await shadow('candidate');
      expect(JSON.parse(String(candidate?.['reasons']))).toEqual(REASONS);
      expect(JSON.parse(String(candidate?.['rule_failures']))).toEqual(RULE_FAILURES);
      expect({ ...candidate, ruleset_version: Number(candidate?.['ruleset_version']), score: Number(candidate?.['score']) }).toMatchObject({
        ruleset_id: 'candidate',
        ruleset_version: 7,
        decision: 'decline',
        score: 90,
        no_rule_failures: false,
        order_created_at: '2026-03-10T05:34:56.123456Z',
        decided_at: '2026-03-10T05:34:56.200001Z',
      });
      const strict = await shadow('strict');
      expect(JSON.parse(String(strict?.['reasons']))).toEqual([]);
      // No rule failed: NULL, not a JSON null.
      expect(strict).toMatchObject({ ruleset_id: 'strict', decision: 'approve', no_rule_failures: true });
    },
    LOAD_TEST_MS,
  );
});
