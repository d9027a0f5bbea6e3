// Public surface of the fraud rules engine.
export * from './features.js';
export * from './ruleset.js';
export * from './engine.js';
export * from './ruleset-validation.js';
export * from './ruleset-diff.js';
export { RULE_LIMITS, ExpressionLimitError } from './expression-limits.js';
export { compileReasonTemplate, TemplateError, type ReasonTemplate } from './reason-template.js';
export * from './order-features.js';
export * from './feature-window.js';
export * from './rulesets/index.js';
