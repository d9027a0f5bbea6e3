// Consumes the outcomes topic with its own consumer group: each batch is recorded once, refusals go to the DLQ and the rejected table, and nothing stalls.
import type { Database } from '@fraudline/db';
import { deadLetterTopicFor, OUTCOMES_TOPIC } from '@fraudline/events';
import type { BatchHandler, EventLog, EventLogConsumer, EventLogProducer } from '@fraudline/streaming';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { recordOutcomeMessages } from '@fraudline/outcomes';
import { publishDeadLetters } from './dead-letters.js';
import type { PartitionHealth } from './partition-health.js';

export interface OutcomeSubscriberOptions {
  db: Kysely<Database>;
  log: EventLog;
  registry: Registry;
  logger: Logger;
  groupId: string;
  topic?: string;
  deadLetterTopic?: string;
  /** Backoff for database errors: the batch is retried, never dropped, while the consumer runs. */
  retry?: { initialMs: number; maxMs: number };
  /** Where failing partitions are recorded, so a stuck outcomes partition shows in the process's readiness. */
  health?: PartitionHealth;
}

export interface OutcomeSubscriber {
  consumer: EventLogConsumer;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recorder(options: OutcomeSubscriberOptions, deadLetters: EventLogProducer, deadLetterTopic: string): BatchHandler {
  const registers = [options.registry];
  const outcomes = new Counter({ name: 'fraudline_outcomes_total', help: 'Outcome messages by result: recorded, unchanged (a redelivery) or rejected', labelNames: ['result'], registers });
  const retries = new Counter({ name: 'fraudline_outcome_batch_retries_total', help: 'Outcome batches that failed with a transient error and were retried', registers });
  const retry = options.retry ?? { initialMs: 200, maxMs: 5000 };
  return async (batch) => {
    const partition = `${batch.topic}/${batch.partition}`;
    for (let delay = retry.initialMs; ; delay = Math.min(delay * 2, retry.maxMs)) {
      try {
        const report = await recordOutcomeMessages(options.db, batch.messages);
        if (report.rejected.length > 0) {
          await publishDeadLetters(deadLetters, deadLetterTopic, report.rejected);
          options.logger.warn({ partition: batch.partition, rejected: report.rejected.length }, 'dead-lettered rejected outcomes');
        }
        outcomes.inc({ result: 'recorded' }, report.recorded);
        outcomes.inc({ result: 'unchanged' }, report.unchanged);
        outcomes.inc({ result: 'rejected' }, report.rejected.length);
        options.health?.recovered(partition);
        return;
      } catch (error) {
        if (!batch.isRunning()) {
          options.health?.recovered(partition);
          throw error;
        }
        options.health?.failed(partition);
        retries.inc();
        options.logger.error({ err: error, partition: batch.partition, retryInMs: delay }, 'outcome batch failed; retrying');
        await sleep(delay);
        await batch.heartbeat().catch(() => undefined);
      }
    }
  };
}

export async function startOutcomeSubscriber(options: OutcomeSubscriberOptions): Promise<OutcomeSubscriber> {
  const topic = options.topic ?? OUTCOMES_TOPIC;
  const deadLetterTopic = options.deadLetterTopic ?? deadLetterTopicFor(topic);
  await options.log.ensureTopic(topic, 3);
  await options.log.ensureTopic(deadLetterTopic, 1);
  const deadLetters = await options.log.producer();
  const consumer = options.log.consumer({ groupId: options.groupId, topic });
  await consumer.start(recorder(options, deadLetters, deadLetterTopic));
  options.logger.info({ topic, groupId: options.groupId }, 'outcome subscriber consuming');
  return {
    consumer,
    async stop() {
      await consumer.stop();
      await deadLetters.disconnect();
    },
  };
}
