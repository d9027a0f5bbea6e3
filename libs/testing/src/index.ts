// Public surface of the test harness for real services.
export * from './chromium.js';
export * from './databases.js';
export * from './services.js';
