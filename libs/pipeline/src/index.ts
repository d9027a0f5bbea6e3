// Public surface of the main job.
export * from './main-job.js';
export * from './quality.js';
export * from './report-browser.js';
export * from './report.js';
export * from './stage-progress.js';
export * from './summary.js';
