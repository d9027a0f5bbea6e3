// Public surface of the test harness for real services.
export * from './chromium.js';
export * from './databases.js';
export * from './kafka-broker.js';
export * from './services.js';
export * from './waiting.js';
