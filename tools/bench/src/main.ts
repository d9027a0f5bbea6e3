// Runs the benchmarks named on the command line and records their figures in docs/benchmarks.json and docs/benchmarks.md.
import { requireService } from '@fraudline/testing';
import { Command } from 'commander';
import { recordFigures } from './record.js';
import { benchRules } from './rules.bench.js';
import { benchStream } from './stream.bench.js';

const BENCHES = ['rules', 'stream'] as const;
type BenchName = (typeof BENCHES)[number];

const program = new Command('bench')
  .description('Measure and record benchmark figures (services are found like the tests find them: env, Testcontainers or tools/services).')
  .argument('[benches...]', `which to run: ${BENCHES.join(', ')} (default: all)`)
  .option('--stream-orders <n>', 'orders for the sustained streaming run', (v) => Number(v), 100_000)
  .showHelpAfterError();
program.parse();
const selected = (program.args.length > 0 ? program.args : [...BENCHES]) as BenchName[];
const unknown = selected.filter((name) => !BENCHES.includes(name));
if (unknown.length > 0) program.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
const { streamOrders } = program.opts<{ streamOrders: number }>();

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
  const where = 'Kafka 3.9 + Postgres 15 on the same 2-core machine';
  recordFigures({
    'stream.e2e_orders_per_s': {
      value: Math.round(result.subscriberOrdersPerSecond),
      unit: 'orders/s',
      command,
      note: `${result.orders} orders pre-produced, one subscriber; ${where}`,
    },
    'stream.ceiling_orders_per_s': {
      value: Math.round(result.ceilingOrdersPerSecond),
      unit: 'orders/s',
      command,
      note: 'same topic consumed with kafkajs and COPYed into an equivalent table, no logic',
    },
    'stream.ratio_to_ceiling': { value: Number((result.subscriberOrdersPerSecond / result.ceilingOrdersPerSecond).toFixed(3)), unit: '×', command },
    'stream.p50_ms_at_2k': {
      value: result.p50Ms,
      unit: 'ms',
      command,
      note: `message timestamp → decision committed, ${result.latencyOrders} orders offered at 2,000/s`,
    },
    'stream.p99_ms_at_2k': {
      value: result.p99Ms,
      unit: 'ms',
      command,
      note: `message timestamp → decision committed, ${result.latencyOrders} orders offered at 2,000/s`,
    },
  });
}
