// Runs the decision use case on a consumer group: the subscriber app, the main job and the tests all start it the same way.
import type { OrderDatabase } from '@fraudline/db';
import { deadLetterTopicFor, ORDERS_TOPIC } from '@fraudline/events';
import type { EventLog, EventLogConsumer, EventLogProducer } from '@fraudline/streaming';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { installBuiltInRulesets } from '@fraudline/ruleset-registry';
import { ActiveRuleset } from './active-ruleset.js';
import { ActiveModel } from './model-score.js';
import { createOrderDecider, type OrderDeciderOptions } from './decide-batch.js';
import { createDecisionMetrics, type DecisionMetrics } from './metrics.js';
import { PartitionHealth, type StuckPartition } from './partition-health.js';

export interface OrderSubscriberOptions {
  /** The OLTP database; pass the whole OltpDatabase so large batches can use COPY on a Postgres server. */
  database: OrderDatabase;
  log: EventLog;
  registry: Registry;
  logger: Logger;
  groupId: string;
  topic?: string;
  deadLetterTopic?: string;
  /** Built-in ruleset activated when the database has no active one yet. */
  initialRuleset?: string;
  timeZone: string;
  maxBatchSize?: number;
  /** How often the live ruleset and scoring model are checked for a new version (default 1 s). */
  rulesetRefreshMs?: number;
  /** Partitions of the orders topic when the subscriber has to create it. */
  partitions?: number;
  onStored?: OrderDeciderOptions['onStored'];
  featureCache?: OrderDeciderOptions['featureCache'];
  /** A partition whose batch keeps failing for longer than this makes the subscriber not ready (default 30 s). */
  readyMaxFailingMs?: number;
}

export interface OrderSubscriber {
  consumer: EventLogConsumer;
  metrics: DecisionMetrics;
  /** Failing partitions, which readiness() reports; other consumers of the process (outcomes) record theirs here too. */
  health: PartitionHealth;
  /** Messages of the orders topic the group has not committed yet. */
  lag(): Promise<number>;
  /** Ready: the database answers and no partition has kept failing for longer than readyMaxFailingMs. */
  readiness(): Promise<{ ready: boolean; stuck: StuckPartition[] }>;
  /** Finishes the batch in flight, commits it, and releases the log clients (not the database). */
  stop(): Promise<void>;
}

export async function startOrderSubscriber(options: OrderSubscriberOptions): Promise<OrderSubscriber> {
  const topic = options.topic ?? ORDERS_TOPIC;
  const deadLetterTopic = options.deadLetterTopic ?? deadLetterTopicFor(topic);
  await installBuiltInRulesets(options.database.db, options.initialRuleset ?? 'default');
  await options.log.ensureTopic(topic, options.partitions ?? 3);
  await options.log.ensureTopic(deadLetterTopic, 1);
  const metrics = createDecisionMetrics(options.registry);
  const health = new PartitionHealth();
  const readyMaxFailingMs = options.readyMaxFailingMs ?? 30_000;
  const deadLetters: EventLogProducer = await options.log.producer();
  const consumer = options.log.consumer({ groupId: options.groupId, topic, maxBatchSize: options.maxBatchSize });
  await consumer.start(
    createOrderDecider({
      database: options.database,
      rulesets: new ActiveRuleset(options.database.db, options.rulesetRefreshMs, (ref, error, keptOn) => {
        metrics.rulesetsRejected.inc();
        if (keptOn) options.logger.error({ err: error, refused: ref, keptOn }, 'activated ruleset does not compile; still deciding with the last good one');
        else options.logger.error({ err: error, refused: ref }, 'shadow ruleset does not compile; deciding without it');
      }),
      models: new ActiveModel(options.database.db, options.rulesetRefreshMs, (ref, error) => {
        metrics.modelsRejected.inc();
        options.logger.error({ err: error, refused: ref }, 'activated scoring model cannot be loaded; still scoring with the one live before');
      }),
      deadLetters,
      deadLetterTopic,
      metrics,
      logger: options.logger,
      timeZone: options.timeZone,
      onStored: options.onStored,
      featureCache: options.featureCache,
      health,
    }),
  );
  options.logger.info({ topic, groupId: options.groupId }, 'subscriber consuming');
  return {
    consumer,
    metrics,
    health,
    async lag() {
      const lag = await consumer.lag();
      metrics.lag.set(lag);
      return lag;
    },
    async readiness() {
      await options.database.db.selectNoFrom((eb) => eb.val(1).as('up')).execute();
      const stuck = health.stuck(readyMaxFailingMs);
      return { ready: stuck.length === 0, stuck };
    },
    async stop() {
      await consumer.stop();
      await deadLetters.disconnect();
    },
  };
}
