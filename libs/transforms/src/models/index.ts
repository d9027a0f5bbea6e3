// The project's model list: seed A's and seed B's layers on the shared raw contract.
import type { Model } from '../model.js';
import { coreModels } from './core.js';
import { martModels } from './marts.js';
import { stagingModels } from './staging.js';

export const allModels: readonly Model[] = [...stagingModels, ...coreModels, ...martModels];

export { BLACKLIST_FRAUD_ORDERS, CRITICAL_HOURS, TOP_REASONS, USER_STATUSES } from './marts.js';
export { PAYMENT_METHODS } from './staging.js';
