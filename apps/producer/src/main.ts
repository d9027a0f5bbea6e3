// The producer CLI: realistic orders drawn from the stored catalog, published to the orders topic at a steady rate.
import { producerCatalog } from '@fraudline/catalog';
import { databaseTarget, migrateToLatest, openDatabase } from '@fraudline/db';
import { ORDERS_TOPIC } from '@fraudline/events';
import { createOrderGenerator } from '@fraudline/generators';
import { publishOrders } from '@fraudline/order-feed';
import { createLogger, describeAdapters, loadPipelineEnv, onShutdown } from '@fraudline/runtime';
import { openEventLog } from '@fraudline/streaming';
import { Command, InvalidArgumentError, Option } from 'commander';

const positiveNumber = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got "${value}"`);
  return parsed;
};

const program = new Command('producer')
  .description('Publish realistic orders (with labelled fraud patterns) from the stored catalog to Kafka or the embedded topic log.')
  .option('-r, --rate <ordersPerSecond>', 'orders per second (0 = as fast as possible)', (v) => (v === '0' ? 0 : positiveNumber('--rate')(v)), 2)
  .option('-n, --count <orders>', 'stop after this many orders', positiveNumber('--count'))
  .option('-d, --duration <seconds>', 'stop after this many seconds', positiveNumber('--duration'))
  .option('-t, --topic <name>', 'topic to publish to', ORDERS_TOPIC)
  .option('-s, --seed <n>', 'random seed, for reproducible streams', positiveNumber('--seed'), 42)
  .addOption(new Option('-p, --profile <profile>', 'order distributions').choices(['realistic', 'seed-a']).default('realistic'))
  .option('--legacy-amounts', "seed-a profile: write amounts as seed A did ('Rp.125,000,000')", false)
  .option('--start <iso>', 'simulated clock start for placedAt (default: now)')
  .showHelpAfterError();

program.parse();
const options = program.opts<{
  rate: number;
  count?: number;
  duration?: number;
  topic: string;
  seed: number;
  profile: 'realistic' | 'seed-a';
  legacyAmounts: boolean;
  start?: string;
}>();
const start = options.start ? new Date(options.start) : new Date();
if (Number.isNaN(start.getTime())) program.error(`--start must be an ISO date-time, got "${options.start}"`);

const env = loadPipelineEnv();
const logger = createLogger('producer', env.LOG_LEVEL);
logger.info(describeAdapters(env));

const oltp = await openDatabase(databaseTarget({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }));
await migrateToLatest(oltp.db);
const catalog = await producerCatalog(oltp.db);
await oltp.close();

const log = openEventLog({ brokers: env.KAFKA_BROKERS, clientId: `${env.KAFKA_CLIENT_ID}-producer`, dataDir: env.DATA_DIR });
await log.ensureTopic(options.topic, 3);
const producer = await log.producer();
const generator = createOrderGenerator({ seed: options.seed, catalog, profile: options.profile, legacyAmountFormat: options.legacyAmounts, start });
const stop = new AbortController();
let lastReport = 0;
const publishing = publishOrders({
  producer,
  topic: options.topic,
  nextOrder: () => generator.next(),
  count: options.count,
  durationMs: options.duration ? options.duration * 1000 : undefined,
  ratePerSecond: options.rate,
  signal: stop.signal,
  onProgress: ({ sent, elapsedMs }) => {
    if (elapsedMs - lastReport < 5000) return;
    lastReport = elapsedMs;
    logger.info({ sent, ratePerSecond: Math.round((sent / elapsedMs) * 1000) }, 'publishing');
  },
});
const finished = publishing.finally(async () => {
  await producer.disconnect();
  await log.close();
});
// A signal stops publishing after the batch in flight; the process exits once the producer has disconnected.
onShutdown(
  async () => {
    stop.abort();
    await finished;
  },
  { logger },
);
const result = await finished;
logger.info({ sent: result.sent, seconds: result.elapsedMs / 1000, topic: options.topic }, 'done');
