// Public surface of the fraud rules engine.
export * from './features.js';
export * from './ruleset.js';
export * from './engine.js';
export { compileReasonTemplate, TemplateError, type ReasonTemplate } from './reason-template.js';
export * from './order-features.js';
export * from './feature-window.js';
export * from './rulesets/index.js';
