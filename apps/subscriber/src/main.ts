// The subscriber service: consumes orders, decides each one with the active ruleset, and stores it with its reasons.
import { databaseTarget, openCurrentDatabase } from '@fraudline/db';
import { startOrderSubscriber, startOutcomeSubscriber, type OutcomeSubscriber } from '@fraudline/decisioning';
import {
  createLogger,
  databaseStartupStep,
  describeAdapters,
  exitOnFatalError,
  kafkaSecurity,
  loadPipelineEnv,
  onShutdown,
  packageVersion,
  startOpsServer,
} from '@fraudline/runtime';
import { openEventLog } from '@fraudline/streaming';
import { Command } from 'commander';
import { collectDefaultMetrics, Registry } from 'prom-client';

exitOnFatalError('subscriber');
new Command('subscriber')
  .description(
    'Consumes the orders topic with a consumer group, decides every order with the active ruleset and stores the order, ' +
      'its decision, score and reasons in Postgres in one transaction; also records the outcomes topic (chargebacks, verdicts) as labels. ' +
      'Rejected messages go to <topic>.dlq and raw.rejected_events.',
  )
  .version(packageVersion(import.meta.url))
  .addHelpText(
    'after',
    '\nConfiguration comes from the environment (see README): KAFKA_BROKERS, DATABASE_URL, ORDERS_TOPIC, ORDERS_DLQ_TOPIC, OUTCOMES_TOPIC (off: do not consume), ' +
      'OUTCOMES_GROUP, SUBSCRIBER_GROUP, RULESET, BUSINESS_TZ, FEATURE_REFRESH_MS, READY_MAX_FAILING_MS, PORT (serves /healthz, /readyz, /metrics), LOG_LEVEL.',
  )
  .showHelpAfterError()
  .parse();

const env = loadPipelineEnv();
const logger = createLogger('subscriber', env.LOG_LEVEL);
logger.info(describeAdapters(env));

const oltp = await databaseStartupStep(env, () =>
  openCurrentDatabase(databaseTarget({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE })),
);
const log = openEventLog({ brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID, dataDir: env.DATA_DIR, kafka: kafkaSecurity(env) });
const registry = new Registry();
collectDefaultMetrics({ register: registry });

const subscriber = await startOrderSubscriber({
  database: oltp,
  log,
  registry,
  logger,
  groupId: env.SUBSCRIBER_GROUP,
  topic: env.ORDERS_TOPIC,
  deadLetterTopic: env.ORDERS_DLQ_TOPIC,
  initialRuleset: env.RULESET,
  timeZone: env.BUSINESS_TZ,
  featureCache: { refreshMs: env.FEATURE_REFRESH_MS },
  readyMaxFailingMs: env.READY_MAX_FAILING_MS,
});
const outcomes: OutcomeSubscriber | undefined =
  env.OUTCOMES_TOPIC === 'off'
    ? undefined
    : await startOutcomeSubscriber({
        db: oltp.db,
        log,
        registry,
        logger,
        groupId: env.OUTCOMES_GROUP ?? `${env.SUBSCRIBER_GROUP}-outcomes`,
        topic: env.OUTCOMES_TOPIC,
        health: subscriber.health,
      });
const lagTimer = setInterval(() => void subscriber.lag().catch((error: Error) => logger.warn({ err: error }, 'lag check failed')), 5000);
const ops = await startOpsServer({
  port: env.PORT,
  host: env.OPS_HOST,
  registry,
  isReady: async () => {
    const { ready, stuck } = await subscriber.readiness();
    const reason = stuck.map(({ partition, failingMs }) => `${partition} failing for ${Math.round(failingMs / 1000)} s`).join(', ');
    return { ready, reason };
  },
});
logger.info({ port: ops.port }, 'serving /healthz /readyz /metrics');

onShutdown(
  async () => {
    clearInterval(lagTimer);
    await Promise.all([subscriber.stop(), outcomes?.stop()]);
    await log.close();
    await oltp.close();
    await ops.close();
  },
  { logger },
);
