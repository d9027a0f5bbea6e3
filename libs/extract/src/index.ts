// Public surface of the batch load: logical dates, the OLTP source, the ledger and the extract-load and backfill runs.
export * from './extract-load.js';
export * from './ledger.js';
export * from './logical-date.js';
export * from './source.js';
export { SOURCE_TABLES, type SourceTable } from './source-tables.js';
