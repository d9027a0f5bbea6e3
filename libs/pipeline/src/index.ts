// Public surface of the main job.
export * from './quality.js';
export * from './report-browser.js';
export * from './report.js';
