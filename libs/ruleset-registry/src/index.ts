// Public surface of the ruleset registry.
export * from './registry.js';
