import { producerCatalog, seedCatalog } from '@fraudline/catalog';
import { migrateToLatest, openDatabase, type OltpDatabase } from '@fraudline/db';
import { startOrderSubscriber } from '@fraudline/decisioning';
import { encodeOrderPlaced, orderMessageKey } from '@fraudline/events';
import { defaultRuleset, type RulesetDocument } from '@fraudline/fraud-rules';
import { generateOrders } from '@fraudline/generators';
import { openEventLog } from '@fraudline/streaming';
import { createTestDatabase, findWorkspaceRoot, waitFor, type TestDatabase } from '@fraudline/testing';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';

/** The built-in ruleset the subscriber went live with. */
const LIVE = `default@${defaultRuleset.version}`;

const root = findWorkspaceRoot()!;
const ORDERS = 400;

describe('rules backtest on orders the subscriber decided (real Postgres, embedded topic log)', () => {
  let database: TestDatabase;
  let oltp: OltpDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const rules = (...args: string[]) =>
    spawnSync(process.execPath, ['--conditions=@fraudline/source', '--import', 'tsx', 'apps/rules/src/main.ts', ...args], { cwd: root, env, encoding: 'utf8' });

  beforeAll(async () => {
    database = await createTestDatabase('rules_backtest');
    dir = await mkdtemp(join(tmpdir(), 'fraudline-rules-backtest-'));
    env = { ...process.env, DATABASE_URL: database.url, KAFKA_BROKERS: '', LOG_LEVEL: 'warn', BUSINESS_TZ: 'Asia/Jakarta' };
    oltp = await openDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(oltp.db);
    await seedCatalog(oltp.db, { seed: 3, users: 80, products: 20, merchants: 5, devices: 30 });
    const catalog = await producerCatalog(oltp.db);
    const orders = generateOrders({ seed: 4, catalog, count: ORDERS, from: new Date('2026-11-10T00:00:00+07:00'), to: new Date('2026-11-12T00:00:00+07:00') });
    const log = openEventLog({ dataDir: dir });
    await log.ensureTopic('orders', 3);
    const producer = await log.producer();
    await producer.send('orders', orders.map((order) => ({ key: orderMessageKey(order), value: encodeOrderPlaced(order) })));
    await producer.disconnect();
    const subscriber = await startOrderSubscriber({ database: oltp, log, registry: new Registry(), logger: pino({ level: 'silent' }), groupId: 'backtest', topic: 'orders', timeZone: 'Asia/Jakarta' });
    await waitFor('the orders', async () => (await subscriber.lag()) === 0, 120_000, 100);
    await subscriber.stop();
  }, 180_000);
  afterAll(async () => {
    await oltp?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reproduces every decision the live ruleset stored, and prints its quality and rules', () => {
    const result = rules('backtest', '--ruleset', LIVE, '--from', '2026-11-10', '--to', '2026-11-11');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`backtest of ${LIVE} on orders placed 2026-11-09T17:00:00.000Z – 2026-11-11T17:00:00.000Z`);
    expect(result.stdout).toContain(`${ORDERS} orders in the period (0 decided before decision order was recorded, not replayed)`);
    expect(result.stdout).toMatch(/^DECISIONS\s+APPROVE\s+REVIEW\s+DECLINE\s+ALERTS\s+PRECISION\s+RECALL\s+F1\s+FRAUD AMOUNT$/m);
    expect(result.stdout).toMatch(/^RULE\s+FIRES\s+ON FRAUD\s+ON LEGITIMATE\s+PRECISION$/m);
    expect(result.stdout).toContain(`${ORDERS} of ${ORDERS} decisions stored by ${LIVE} reproduced exactly\n`);
    expect(result.stdout).toContain('no outcome changes against the stored decisions');
  });

  it('reports the outcomes a lower review threshold changes, as the stored scores say it must', async () => {
    const stored = await oltp.db.selectFrom('decisions').select(['decision', 'score']).execute();
    const becomeReview = stored.filter((d) => d.decision === 'approve' && d.score >= 10).length;
    expect(becomeReview).toBeGreaterThan(0);
    const file = join(dir, 'cautious.json');
    const cautious: RulesetDocument = { ...defaultRuleset, id: 'cautious', version: 1, thresholds: { review: 10, decline: 70 }, examples: [] };
    await writeFile(file, JSON.stringify(cautious));
    const result = rules('backtest', '--ruleset', file, '--from', '2026-11-10', '--to', '2026-11-11', '--json', '--changes', '3');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { changes: Record<string, number>; changed: unknown[]; sameRuleset: { orders: number }; periodOrders: number };
    expect(report.periodOrders).toBe(ORDERS);
    expect(report.changes).toEqual({ 'approve→review': becomeReview });
    expect(report.changed).toHaveLength(Math.min(3, becomeReview));
    expect(report.sameRuleset.orders).toBe(0);
  });

  it('names the option at fault for a bad date, and refuses a period that ends before it starts', () => {
    const bad = rules('backtest', '--ruleset', LIVE, '--from', '2026-13-01', '--to', '2026-11-11');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("option '--from <date>' argument '2026-13-01' is invalid. invalid --from '2026-13-01': no such day in the calendar");
    const reversed = rules('backtest', '--ruleset', LIVE, '--from', '2026-11-11', '--to', '2026-11-10');
    expect(reversed.status).toBe(1);
    expect(reversed.stderr.trim()).toBe('rules: --to 2026-11-10 is before --from 2026-11-11');
  });
});
