// Public surface of the generators.
export * from './contract.js';
