// Public surface of the learned fraud score.
export * from './features.js';
export * from './model-document.js';
export { compileModel, sigmoid, type CompiledModel, type Contribution } from './compile.js';
export { evaluate, rocAuc, type EvaluateOptions, type LabelledRow } from './evaluate.js';
export { trainModel, splitByTime, type TrainOptions } from './train.js';
export { reasonFor } from './reason.js';
