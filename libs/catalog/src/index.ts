// Public surface of the catalog use cases.
export * from './catalog-jobs.js';
