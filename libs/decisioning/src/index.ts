// Public surface of the order decision use case.
export * from './active-ruleset.js';
export * from './decide-batch.js';
export * from './metrics.js';
export * from './order-subscriber.js';
export * from './feature-cache.js';
export * from './partition-health.js';
export * from './dead-letters.js';
export * from './outcome-subscriber.js';
export * from './replay.js';
export * from './model-score.js';
export * from './train-model.js';
export * from './backtest.js';
export * from './backtest-tally.js';
export * from './backtest-table.js';
