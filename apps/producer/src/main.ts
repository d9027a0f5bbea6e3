// The producer CLI: realistic orders drawn from the stored catalog, published to the orders topic at a steady rate.
import { producerCatalog } from '@fraudline/catalog';
import { databaseTarget, openCurrentDatabase } from '@fraudline/db';
import { ORDERS_TOPIC } from '@fraudline/events';
import { createOrderGenerator } from '@fraudline/generators';
import { publishOrders } from '@fraudline/order-feed';
import {
  createLogger,
  databaseStartupStep,
  describeAdapters,
  exitOnFatalError,
  integerFlag,
  kafkaSecurity,
  loadPipelineEnv,
  numberFlag,
  onShutdown,
  packageVersion,
} from '@fraudline/runtime';
import { openEventLog } from '@fraudline/streaming';
import { Command, Option } from 'commander';

exitOnFatalError('producer');
const program = new Command('producer')
  .description('Publish realistic orders (with labelled fraud patterns) from the stored catalog to Kafka or the embedded topic log.')
  .version(packageVersion(import.meta.url))
  .option('-r, --rate <ordersPerSecond>', 'orders per second (0 = as fast as possible)', numberFlag('--rate'), 2)
  .option('-n, --count <orders>', 'stop after this many orders', integerFlag('--count', { min: 1 }))
  .option('-d, --duration <seconds>', 'stop after this many seconds', numberFlag('--duration', { min: 0.001 }))
  .option('-t, --topic <name>', 'topic to publish to', ORDERS_TOPIC)
  .option('-s, --seed <n>', 'random seed, for reproducible streams', integerFlag('--seed'), 42)
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

const oltp = await databaseStartupStep(env, () => openCurrentDatabase(databaseTarget({ url: env.DATABASE_URL, dataDir: env.DATA_DIR })));
const catalog = await producerCatalog(oltp.db);
await oltp.close();

const log = openEventLog({ brokers: env.KAFKA_BROKERS, clientId: `${env.KAFKA_CLIENT_ID}-producer`, dataDir: env.DATA_DIR, kafka: kafkaSecurity(env) });
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
