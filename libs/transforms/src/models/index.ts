// The project's model list: seed A's and seed B's layers on the shared raw contract.
import type { Model } from '../model.js';
import { coreModels } from './core.js';
import { martModels } from './marts.js';
import { stagingModels } from './staging.js';

export const allModels: readonly Model[] = [...stagingModels, ...coreModels, ...martModels];

export { DECISION_SOURCES, LABEL_MATURITY_DAYS, LABEL_STATUSES, type DecisionSource } from './core.js';
export { BLACKLIST_FRAUD_ORDERS, CRITICAL_HOURS, LABEL_BLACKLIST_FRAUD_ORDERS, LABEL_WATCHLIST_FRAUD_ORDERS, TOP_REASONS, USER_STATUSES } from './marts.js';
export { OUTCOME_KINDS, OUTCOME_LABELS, PAYMENT_METHODS } from './staging.js';
