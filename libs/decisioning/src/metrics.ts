// The decision path's Prometheus metrics; units are in the names.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface DecisionMetrics {
  consumed: Counter<'topic'>;
  decided: Counter<'decision'>;
  shadowDecided: Counter<'ruleset' | 'decision'>;
  rejected: Counter<'kind'>;
  batchDuration: Histogram;
  batchPhase: Histogram<'phase'>;
  commitLatency: Histogram;
  lag: Gauge;
  batchRetries: Counter;
  rulesetsRejected: Counter;
  modelsRejected: Counter;
  ruleFailures: Counter<'ruleset' | 'rule'>;
  failingPartitions: Gauge;
  stored: Counter<'path'>;
}

export function createDecisionMetrics(registry: Registry): DecisionMetrics {
  const registers = [registry];
  return {
    consumed: new Counter({ name: 'fraudline_orders_consumed_total', help: 'Messages consumed from the orders topic', labelNames: ['topic'], registers }),
    decided: new Counter({ name: 'fraudline_orders_decided_total', help: 'Orders decided, by outcome', labelNames: ['decision'], registers }),
    shadowDecided: new Counter({
      name: 'fraudline_shadow_decisions_total',
      help: 'Orders decided by a shadow ruleset (stored beside the live decision, without effect), by ruleset and outcome',
      labelNames: ['ruleset', 'decision'],
      registers,
    }),
    rejected: new Counter({
      name: 'fraudline_orders_dead_lettered_total',
      help: 'Messages rejected to the DLQ, by error kind',
      labelNames: ['kind'],
      registers,
    }),
    batchDuration: new Histogram({
      name: 'fraudline_batch_duration_seconds',
      help: 'Time to decide and store one batch',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    batchPhase: new Histogram({
      name: 'fraudline_batch_phase_seconds',
      help: 'Time spent per batch in each phase: validate, features, decide, store, dead_letter',
      labelNames: ['phase'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    commitLatency: new Histogram({
      name: 'fraudline_event_to_commit_seconds',
      help: 'From the message timestamp to the commit of its decision',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    lag: new Gauge({ name: 'fraudline_consumer_lag_messages', help: 'Messages in the topic not yet committed by the group', registers }),
    batchRetries: new Counter({
      name: 'fraudline_batch_retries_total',
      help: 'Batch attempts that failed with an error a retry may mend (database or broker unreachable) and were retried',
      registers,
    }),
    rulesetsRejected: new Counter({
      name: 'fraudline_rulesets_rejected_total',
      help: 'Activated ruleset versions that did not compile; the last good version kept deciding',
      registers,
    }),
    modelsRejected: new Counter({
      name: 'fraudline_models_rejected_total',
      help: 'Activated scoring model versions that could not be loaded; the model live before kept scoring',
      registers,
    }),
    ruleFailures: new Counter({
      name: 'fraudline_rule_failures_total',
      help: 'Rules that failed at run time for an order and counted as not fired; the decision records the failure',
      labelNames: ['ruleset', 'rule'],
      registers,
    }),
    failingPartitions: new Gauge({
      name: 'fraudline_partitions_failing',
      help: 'Partitions whose current batch has failed and is being retried',
      registers,
    }),
    stored: new Counter({
      name: 'fraudline_batches_stored_total',
      help: 'Batches stored, by write path: copy, statement (small batches, embedded database) or redelivery (some rows already stored)',
      labelNames: ['path'],
      registers,
    }),
  };
}
