// Public surface of the order feed.
export * from './publish-orders.js';
