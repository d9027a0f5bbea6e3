// Public surface of the event log adapters.
export * from './event-log.js';
export * from './file-log.js';
export * from './kafka-log.js';
export * from './open-event-log.js';
