// Public surface of the OLTP data access layer.
export * from './catalog.js';
export * from './connect.js';
export * from './migrations.js';
export * from './schema.js';
