// Public surface of the outcome intake.
export * from './csv-import.js';
export * from './outcome-intake.js';
