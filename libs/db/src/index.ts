// Public surface of the OLTP data access layer.
export * from './catalog.js';
export * from './connect.js';
export * from './count-rows.js';
export * from './data-dir-lock.js';
export * from './decision-history.js';
export * from './migrations.js';
export * from './order-store.js';
export * from './outcome-store.js';
export * from './rejected-events.js';
export * from './rulesets.js';
export * from './schema-version.js';
export * from './scoring-models.js';
export * from './schema.js';
export * from './storage-errors.js';
export * from './risk-list.js';
