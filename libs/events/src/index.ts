// Public surface of the event contract.
export * from './order-outcome.js';
export * from './order-placed.js';
export * from './serde.js';
export * from './topics.js';
