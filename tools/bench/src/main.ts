// Runs the benchmarks named on the command line and records their figures in docs/benchmarks.json and docs/benchmarks.md.
import { createTestDatabase, findWorkspaceRoot, requireService } from '@fraudline/testing';
import { Command, InvalidArgumentError } from 'commander';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordFigures } from './record.js';
import { benchBacktest } from './backtest.bench.js';
import { benchDetection } from './detection.bench.js';
import { benchRules } from './rules.bench.js';
import { benchStream, type ConsumerRun } from './stream.bench.js';

const BENCHES = ['rules', 'stream', 'backtest', 'detection', 'extract', 'transforms', 'main'] as const;
type BenchName = (typeof BENCHES)[number];

function wholeNumber(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return Number(value);
}

const program = new Command('bench')
  .description('Measure and record benchmark figures (services are found like the tests find them: env, Testcontainers or tools/services).')
  .argument('[benches...]', `which to run: ${BENCHES.join(', ')} (default: all)`)
  .option('--stream-orders <n>', 'orders for the sustained streaming run', wholeNumber, 100_000)
  .option('--backtest-orders <n>', 'landed orders the backtest replays', wholeNumber, 1_000_000)
  .showHelpAfterError();
program.parse();
const selected = (program.args.length > 0 ? program.args : [...BENCHES]) as BenchName[];
const unknown = selected.filter((name) => !BENCHES.includes(name));
if (unknown.length > 0) program.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
const { streamOrders, backtestOrders } = program.opts<{ streamOrders: number; backtestOrders: number }>();

if (selected.includes('rules')) {
  const [typical, allRisky] = benchRules();
  recordFigures({
    'rules.decisions_per_s': {
      value: typical!.decisionsPerSecond,
      unit: 'decisions/s',
      command: 'npm run bench -- rules',
      note: `default ruleset, one core, precomputed features, typical traffic; ${allRisky!.decisionsPerSecond.toLocaleString('en-US')}/s when nearly every order fires rules`,
    },
  });
}

if (selected.includes('stream')) {
  const { KAFKA_BROKERS } = await requireService('kafka');
  await requireService('postgres');
  const result = await benchStream({ brokers: KAFKA_BROKERS!.split(','), orders: streamOrders });
  const command = `npm run bench -- stream --stream-orders ${streamOrders}`;
  const where = 'Kafka 3.9 + Postgres 15 (test settings: fsync off) on the same 2-core machine';
  const sustained = 'from the first committed batch to the last, start-up excluded';
  const { subscriber, ceiling, oneTable } = result;
  const run = (r: ConsumerRun) =>
    `${Math.round(r.withStartUpPerSecond)}/s with start-up; ${r.batches} batches of ${Math.round(result.orders / r.batches)} on average; ` +
    `CPU over the ${r.sustainedSeconds} s from first batch to last: consumer process ${r.consumerCpuSeconds} s, Postgres ${r.postgresCpuSeconds} s; load average ${r.load} after`;
  const latency = `message timestamp → decision committed; ${result.latencyOrders} orders measured at 2,000/s offered by a producer process of its own, after a 5 s warm-up`;
  recordFigures({
    'stream.e2e_orders_per_s': {
      value: Math.round(subscriber.ordersPerSecond),
      unit: 'orders/s',
      command,
      note: `${result.orders} orders pre-produced, one subscriber process, ${sustained} (${run(subscriber)}); ${where}`,
    },
    'stream.ceiling_orders_per_s': {
      value: Math.round(ceiling.ordersPerSecond),
      unit: 'orders/s',
      command,
      note:
        'the subscriber\'s write without its logic, same run: the same consumer and batches, the same store call (storeDecidedBatch, COPY in one ' +
        'transaction) into the same three tables with their keys, checks, foreign keys and trigger; raw message landed as received, ' +
        `orders row from the parsed message, constant decision; no validation, features or rules; ${sustained} (${run(ceiling)})`,
    },
    'stream.copy_one_table_orders_per_s': {
      value: Math.round(oneTable.ordersPerSecond),
      unit: 'orders/s',
      command,
      note: `the former ceiling, same run: the same consumer COPYing each message into ONE table (orders columns + jsonb message, one primary key); ${sustained} (${run(oneTable)})`,
    },
    'stream.shadow_overhead_ratio': {
      value: Number((result.shadowed.ordersPerSecond / subscriber.ordersPerSecond).toFixed(3)),
      unit: '×',
      command,
      note: `the same subscriber with one shadow ruleset (the default rules, other thresholds) deciding every order and storing its decision in the same transaction, over stream.e2e_orders_per_s, same run (target ≥ 0.85); ${run(result.shadowed)}`,
    },
    'stream.ratio_to_ceiling': {
      value: Number((subscriber.ordersPerSecond / ceiling.ordersPerSecond).toFixed(3)),
      unit: '×',
      command,
      note: 'stream.e2e_orders_per_s / stream.ceiling_orders_per_s, same run (target ≥ 0.8)',
    },
    'stream.alternative_schema_e2e_orders_per_s': {
      value: Math.round(result.alternative.subscriber.ordersPerSecond),
      unit: 'orders/s',
      command,
      note: `the same subscriber on the alternative schema of docs/benchmarks.md (no foreign keys, raw landing as json), same run; ${sustained} (${run(result.alternative.subscriber)})`,
    },
    'stream.alternative_schema_ceiling_orders_per_s': {
      value: Math.round(result.alternative.ceiling.ordersPerSecond),
      unit: 'orders/s',
      command,
      note: `stream.ceiling_orders_per_s's write on the alternative schema, same run; ${sustained} (${run(result.alternative.ceiling)})`,
    },
    'stream.subscriber_phases': {
      value: Object.entries(result.phases)
        .map(([phase, seconds]) => `${phase} ${Math.round((100 * seconds) / result.busySeconds)}%`)
        .join(', '),
      unit: '',
      command,
      note: `the subscriber's fraudline_batch_phase_seconds during the e2e run, summed over the 3 concurrent partitions, as a share of its ${result.busySeconds.toFixed(1)} s`,
    },
    'stream.p50_ms_at_2k': { value: result.p50Ms, unit: 'ms', command, note: latency },
    'stream.p99_ms_at_2k': { value: result.p99Ms, unit: 'ms', command, note: `${latency} (target ≤ 100 ms)` },
  });
}

if (selected.includes('backtest')) {
  const { KAFKA_BROKERS } = await requireService('kafka');
  await requireService('postgres');
  const result = await benchBacktest({ brokers: KAFKA_BROKERS!.split(','), orders: backtestOrders });
  const command = `npm run bench -- backtest --backtest-orders ${backtestOrders}`;
  const setup =
    `${result.orders} orders over ${result.days} days decided and landed by the subscriber (Kafka 3.9 → Postgres 15, ${result.decideSeconds} s), ` +
    'then replayed from Postgres in decision order, each feature recomputed as of its order; one process, same machine';
  recordFigures({
    'backtest.orders_per_s': {
      value: Math.round(result.backtestPerSecond),
      unit: 'orders/s',
      command,
      note:
        `${setup}; default ruleset, labels, per-rule counts and the diff against the stored decisions (${result.reproduced} of ${result.sameRuleset} reproduced exactly); ` +
        `peak RSS ${result.peakRssMb} MB (target ≥ 50,000/s)`,
    },
    'backtest.rules_off_orders_per_s': {
      value: Math.round(result.rulesOffPerSecond),
      unit: 'orders/s',
      command,
      note: `the same replay, same run, with no rules run: reading the landing, decoding and point-in-time features only`,
    },
    'backtest.ratio_to_rules_off': {
      value: Number((result.backtestPerSecond / result.rulesOffPerSecond).toFixed(3)),
      unit: '×',
      command,
      note: 'backtest.orders_per_s / backtest.rules_off_orders_per_s, same run',
    },
  });
}

if (selected.includes('detection')) {
  const { KAFKA_BROKERS } = await requireService('kafka');
  await requireService('postgres');
  const result = await benchDetection({ brokers: KAFKA_BROKERS!.split(',') });
  const command = 'npm run bench -- detection';
  const [live, earlier] = result.quality;
  const byPattern = (recall: Record<string, number>) => Object.entries(recall).map(([pattern, value]) => `${pattern} ${value}`).join(', ');
  const setup =
    `the handbook-style benchmark (libs/generators/src/benchmark): ${result.orders} orders over ${result.days} days decided by the subscriber a day at a time ` +
    `(Kafka 3.9 → Postgres 15) while ${result.outcomes} delayed outcomes arrive; backtest of the last ${result.measuredDays} days ` +
    `(${result.measuredOrders} orders, ${result.fraudOrders} fraud) with the simulation's truth, review + decline as flagged`;
  const baseline = `${earlier!.ruleset} (the same rules without the behaviour, entity-risk and model ones), same replay: precision ${earlier!.precision}, recall ${earlier!.recall}`;
  const { model } = result;
  const learned = `learned score ${model.ref} trained in ${model.seconds} s on the first ${result.days - result.measuredDays} days (${model.trainRows} orders, outcomes known by then, 7-day maturity), held-out AUC ${model.auc}`;
  recordFigures({
    'detection.precision': { value: live!.precision, unit: '', command, note: `${live!.ruleset}; ${setup}; ${learned}; ${baseline} (target ≥ 0.8)` },
    'detection.recall': {
      value: live!.recall,
      unit: '',
      command,
      note: `${live!.ruleset}, same run (${result.reproduced} of ${result.sameRuleset} stored decisions reproduced by the backtest) (target ≥ 0.7)`,
    },
    'detection.recall_by_pattern': {
      value: byPattern(live!.recallByPattern),
      unit: '',
      command,
      note: `${live!.ruleset}, same run; ${earlier!.ruleset}: ${byPattern(earlier!.recallByPattern)}`,
    },
  });
}

const root = findWorkspaceRoot()!;
const tsNode = ['--conditions=@fraudline/source', '--import', 'tsx'];

/** Runs a benchmark script that ends by printing its figures as one JSON object. */
function runScript(script: string, env: NodeJS.ProcessEnv = process.env): Record<string, number | string> {
  const run = spawnSync(process.execPath, [...tsNode, script], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout);
  if (run.status !== 0) throw new Error(`${script} exited with ${run.status}`);
  const json = run.stdout.slice(run.stdout.lastIndexOf('\n{') + 1);
  return JSON.parse(json) as Record<string, number | string>;
}

if (selected.includes('extract')) {
  await requireService('postgres');
  await requireService('bigquery');
  const figures = runScript('tools/bench/extract.bench.ts');
  const command = 'npm run bench -- extract';
  const units: Record<string, string> = {
    'extract.pg_rows_per_s': 'rows/s',
    'extract.pg_ceiling_rows_per_s': 'rows/s',
    'extract.pg_ratio_to_ceiling': '×',
    'extract.pg_peak_rss_mb': 'MB',
    'extract.bq_emulator_rows_per_s': 'rows/s',
  };
  recordFigures(
    Object.fromEntries(
      Object.entries(units).map(([key, unit]) => [
        key,
        {
          value: figures[key] ?? NaN,
          unit,
          command,
          note: key.startsWith('extract.bq')
            ? `${figures['extract.bq_emulator_rows']} rows into the BigQuery emulator (not a claim about BigQuery)`
            : '1,000,000 orders of one day, OLTP → Postgres warehouse; ceiling = psql \\copy out + \\copy in, same run',
        },
      ]),
    ),
  );
}

if (selected.includes('transforms')) {
  await requireService('postgres');
  const figures = runScript('tools/bench/transforms.bench.ts');
  const command = 'npm run bench -- transforms';
  recordFigures({
    'transforms.pg_full_build_s_1m': {
      value: figures['transforms.pg_full_build_s_1m']!,
      unit: 's',
      command,
      note: 'all models and data tests, 1,000,000 orders, Postgres warehouse',
    },
    'transforms.pg_psql_floor_s_1m': {
      value: figures['transforms.pg_psql_floor_s_1m']!,
      unit: 's',
      command,
      note: 'the same compiled SQL run with psql -f, same run',
    },
    'transforms.slowest_model': { value: figures['transforms.slowest_model']!, unit: '', command },
  });
}

/** Seconds from the command to the report for 20,000 orders, as `npm start` runs it. */
function timeMainJob(env: NodeJS.ProcessEnv): number {
  const started = Date.now();
  const run = spawnSync(process.execPath, [...tsNode, 'apps/pipeline/src/main.ts', '--orders', '20000', '--report', join(env['DATA_DIR']!, 'report.html')], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`the main job exited with ${run.status}`);
  return Number(((Date.now() - started) / 1000).toFixed(1));
}

if (selected.includes('main')) {
  const embeddedDir = mkdtempSync(join(tmpdir(), 'bench-main-'));
  const embedded = timeMainJob({ ...process.env, DATA_DIR: embeddedDir, KAFKA_BROKERS: '', DATABASE_URL: '', WAREHOUSE: 'postgres' });
  rmSync(embeddedDir, { recursive: true, force: true });
  const { KAFKA_BROKERS } = await requireService('kafka');
  const { BIGQUERY_EMULATOR_HOST, BIGQUERY_PROJECT } = await requireService('bigquery');
  const database = await createTestDatabase('bench_main');
  const servicesDir = mkdtempSync(join(tmpdir(), 'bench-main-'));
  const id = Date.now().toString(36);
  const services = timeMainJob({
    ...process.env,
    DATA_DIR: servicesDir,
    KAFKA_BROKERS,
    DATABASE_URL: database.url,
    WAREHOUSE: 'bigquery',
    BIGQUERY_EMULATOR_HOST,
    BIGQUERY_PROJECT,
    BIGQUERY_DATASET_PREFIX: `bench_${id}_`,
    ORDERS_TOPIC: `bench-orders-${id}`,
    SUBSCRIBER_GROUP: `bench-${id}`,
  });
  rmSync(servicesDir, { recursive: true, force: true });
  await database.drop();
  recordFigures({
    'main.embedded_20k_s': {
      value: embedded,
      unit: 's',
      command: 'npm run bench -- main',
      note: '`npm start` path with 20,000 orders over 3 days: PGlite + file topic log + PGlite warehouse, fresh data dir',
    },
    'main.services_20k_s': {
      value: services,
      unit: 's',
      command: 'npm run bench -- main',
      note: 'same on Kafka 3.9 + Postgres 15 + the BigQuery emulator (the emulator loads ~1k rows/s and dominates)',
    },
  });
}
