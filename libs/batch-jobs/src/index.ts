// Public surface of the batch schedule.
export * from './jobs.js';
export * from './scheduler.js';
