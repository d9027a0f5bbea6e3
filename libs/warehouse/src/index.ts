// Public surface of the warehouse adapters.
export * from './bigquery-warehouse.js';
export * from './digest.js';
export * from './load-encoding.js';
export * from './open-warehouse.js';
export * from './partition-loader.js';
export * from './postgres-warehouse.js';
export * from './raw-tables.js';
export * from './warehouse-sql.js';
