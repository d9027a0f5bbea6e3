// Public surface of the transforms: declare models, compile them for a dialect, run them, document them, publish the risk list.
export * from './catalog.js';
export * from './compile.js';
export * from './context.js';
export * from './dag.js';
export * from './data-tests.js';
export * from './dialect.js';
export * from './docs.js';
export * from './model.js';
export * from './models/index.js';
export * from './publish-risk-list.js';
export * from './run-and-publish.js';
export * from './run-log.js';
export * from './runner.js';
export * from './selectors.js';
export { latestPerKey, type LatestPerKey } from './models/sql-patterns.js';
