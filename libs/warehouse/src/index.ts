// Public surface of the warehouse adapters.
export * from './bigquery-warehouse.js';
export * from './postgres-warehouse.js';
export * from './warehouse-sql.js';
