import { seedCatalog } from '@fraudline/catalog';
import { migrateToLatest, openDatabase, type OltpDatabase } from '@fraudline/db';
import { encodeOrderOutcome } from '@fraudline/events';
import { KafkaLog } from '@fraudline/streaming';
import { createTestDatabase, findWorkspaceRoot, requireService, type TestDatabase } from '@fraudline/testing';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

const root = findWorkspaceRoot()!;
const tsNode = ['--conditions=@fraudline/source', '--import', 'tsx'];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('subscriber service with the producer CLI, on real Kafka and Postgres', () => {
  let testDb: TestDatabase;
  let oltp: OltpDatabase;
  let env: NodeJS.ProcessEnv;
  let subscriber: ChildProcess;
  let output = '';

  beforeAll(async () => {
    const { KAFKA_BROKERS } = await requireService('kafka');
    testDb = await createTestDatabase('subscriber_app');
    oltp = await openDatabase({ kind: 'postgres', url: testDb.url });
    await migrateToLatest(oltp.db);
    await seedCatalog(oltp.db, { seed: 5, users: 100, products: 30, merchants: 8, devices: 20 });
    const id = randomUUID();
    env = {
      ...process.env,
      KAFKA_BROKERS,
      DATABASE_URL: testDb.url,
      ORDERS_TOPIC: `orders-${id}`,
      OUTCOMES_TOPIC: `order-outcomes-${id}`,
      SUBSCRIBER_GROUP: `subscriber-${id}`,
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    };
  }, 120_000);
  afterAll(async () => {
    if (subscriber && subscriber.exitCode === null) subscriber.kill('SIGKILL');
    await oltp?.close();
    await testDb?.drop();
  });

  it('starts, serves health and metrics, decides what the producer sends, and stops cleanly on SIGTERM', async () => {
    subscriber = spawn(process.execPath, [...tsNode, 'apps/subscriber/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    subscriber.stdout!.on('data', (chunk) => (output += chunk));
    subscriber.stderr!.on('data', (chunk) => (output += chunk));
    const base = `http://127.0.0.1:${env['PORT']}`;
    await waitFor('readiness', async () => (await fetch(`${base}/readyz`)).ok);
    expect(output.split('\n')[0]).toContain('adapters: event log = Kafka');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const produced = spawnSync(
      process.execPath,
      [...tsNode, 'apps/producer/src/main.ts', '--count', '300', '--rate', '0', '--topic', env['ORDERS_TOPIC']!, '--seed', '9'],
      { cwd: root, env, encoding: 'utf8' },
    );
    expect(produced.status).toBe(0);
    expect(produced.stdout).toContain('"sent":300');

    const decided = async () =>
      Number(
        (
          await oltp.db
            .selectFrom('decisions')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    await waitFor('300 decisions', async () => (await decided()) === 300);
    // An analyst's verdict on one of the decided orders arrives on the outcomes topic and becomes its label.
    const [decidedOrder] = await oltp.db.selectFrom('decisions').select('order_id').limit(1).execute();
    const log = new KafkaLog({ brokers: env['KAFKA_BROKERS']!.split(','), clientId: 'subscriber-app-test' });
    const producer = await log.producer();
    const verdict = encodeOrderOutcome({
      type: 'OrderOutcome',
      version: 1,
      outcomeId: `verdict-${decidedOrder!.order_id}`,
      orderId: decidedOrder!.order_id,
      kind: 'analyst_verdict',
      verdict: 'fraud',
      analyst: 'ayu',
      occurredAt: new Date().toISOString(),
      knownAt: new Date().toISOString(),
    });
    await producer.send(env['OUTCOMES_TOPIC']!, [{ key: decidedOrder!.order_id, value: verdict }]);
    await producer.disconnect();
    await log.close();
    const labelled = () => oltp.db.selectFrom('order_verdicts').select('label').where('order_id', '=', decidedOrder!.order_id).executeTakeFirst();
    await waitFor('the verdict as a label', async () => (await labelled())?.label === 'fraud');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^fraudline_outcomes_total\{result="recorded"\} 1$/m);
    const decidedTotal = [...metrics.matchAll(/^fraudline_orders_decided_total\{decision="\w+"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(decidedTotal).toBe(300);
    expect(metrics).toContain('fraudline_event_to_commit_seconds_bucket');
    expect(metrics).toMatch(/^fraudline_consumer_lag_messages \d+$/m);

    const exited = new Promise<number | null>((resolve) => subscriber.once('exit', (code) => resolve(code)));
    subscriber.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped cleanly');
  }, 180_000);

  it('refuses to start the subscriber or the producer on a database the migrations have not reached, and changes nothing', async () => {
    const empty = await createTestDatabase('subscriber_unmigrated');
    const unmigrated = await openDatabase({ kind: 'postgres', url: empty.url });
    try {
      for (const app of ['subscriber', 'producer']) {
        const result = spawnSync(process.execPath, [...tsNode, `apps/${app}/src/main.ts`, ...(app === 'producer' ? ['--count', '1'] : [])], {
          cwd: root,
          env: { ...env, DATABASE_URL: empty.url, LOG_LEVEL: 'silent' },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect([app, result.status]).toEqual([app, 1]);
        expect(result.stderr.trim()).toMatch(new RegExp(`^${app}: DATABASE_URL: cannot open .*: the database schema is empty .*run the migrations first: npm run migrate`));
      }
      const tables = await unmigrated.db.introspection.getTables();
      expect(tables).toEqual([]);
    } finally {
      await unmigrated.close();
      await empty.drop();
    }
  }, 120_000);
});
