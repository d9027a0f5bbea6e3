// Minimal types for ml-logistic-regression (it ships none): only the parts trainModel uses.
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  /** One binary classifier of the one-vs-all ensemble: log-odds = X · weightsᵀ (no separate intercept). */
  interface LogisticRegressionTwoClasses {
    /** 1 × columns(X), set by train(). */
    readonly weights: Matrix | null;
  }

  /**
   * One-vs-all logistic regression trained by full-batch gradient descent. Each step adds
   * learningRate × Xᵀ(y − σ(Xw)), i.e. the gradient is summed (not averaged) over rows.
   */
  class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    /** Y is a column vector of class indices 0..k−1; classifiers[c] is trained on the target "class ≠ c". */
    train(X: Matrix, Y: Matrix): void;
    readonly classifiers: readonly LogisticRegressionTwoClasses[];
  }

  export = LogisticRegression;
}
