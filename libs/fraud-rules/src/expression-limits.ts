// Bounds on what one rule may cost, checked before a ruleset is accepted, so no rule can block the event loop.
import type { ASTNode } from '@marcbachmann/cel-js';
import safeRegex from 'safe-regex2';

/** The limits every rule and ruleset is held to; CEL's own parser enforces the structural ones. */
export const RULE_LIMITS = {
  /** Characters in one `when` expression. */
  maxExpressionLength: 2_000,
  /** AST nodes in one expression (cel-js `maxAstNodes`). */
  maxAstNodes: 500,
  /** Nesting depth of calls, selects, indexes and aggregates (cel-js `maxDepth`). */
  maxDepth: 32,
  /** Elements of one list literal, entries of one map literal. */
  maxListElements: 1_000,
  /**
   * Worst-case nodes evaluated for one decision, summed over the ruleset's rules. A node costs ~30 ns on this
   * engine, so the budget keeps any decision well under a millisecond.
   */
  maxDecisionCost: 20_000,
  /** Characters of a `matches` pattern. */
  maxPatternLength: 200,
} as const;

/** Feature strings are ids, codes and enum values; splitting one can yield at most this many parts. */
const MAX_FEATURE_STRING_LENGTH = 256;

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** A rule that the limits refuse; the message says which limit and why. */
export class ExpressionLimitError extends Error {
  override readonly name = 'ExpressionLimitError';
}

interface Estimate {
  /** Worst-case nodes evaluated. */
  cost: number;
  /** The most elements the value can hold when it is a list or map; undefined when it is neither or unknown. */
  size: number | undefined;
}

const scalar = (cost: number): Estimate => ({ cost, size: undefined });

function checkPattern(node: ASTNode): void {
  if (node.op !== 'value' || typeof node.args !== 'string') {
    throw new ExpressionLimitError('matches() takes a string literal pattern, so it can be checked before it runs');
  }
  const pattern = node.args;
  if (pattern.length > RULE_LIMITS.maxPatternLength) {
    throw new ExpressionLimitError(`matches() pattern is ${pattern.length} characters; the limit is ${RULE_LIMITS.maxPatternLength}`);
  }
  if (!safeRegex(pattern)) throw new ExpressionLimitError(`matches() pattern "${pattern}" can backtrack exponentially (nested quantifiers)`);
}

function estimateReceiverCall(name: string, receiver: ASTNode, args: readonly ASTNode[]): Estimate {
  const target = estimate(receiver);
  if (COMPREHENSIONS.has(name)) {
    if (target.size === undefined) {
      throw new ExpressionLimitError(`${name}() must range over a list or map whose size is known before it runs (a literal, or map/filter/split of one)`);
    }
    const body = args.slice(1).reduce((sum, arg) => sum + estimate(arg).cost, 0);
    return { cost: target.cost + target.size * (body + 1), size: name === 'map' || name === 'filter' ? target.size : undefined };
  }
  const rest = args.reduce((sum, arg) => sum + estimate(arg).cost, 0);
  if (name === 'matches' && args[0]) checkPattern(args[0]);
  if (name === 'split') return { cost: target.cost + rest + MAX_FEATURE_STRING_LENGTH / 8, size: MAX_FEATURE_STRING_LENGTH };
  return scalar(target.cost + rest + 1);
}

/** Worst-case evaluation cost of a node; throws for a comprehension whose range has no static bound. */
function estimate(node: ASTNode): Estimate {
  switch (node.op) {
    case 'value':
    case 'id':
      return scalar(1);
    case '.':
    case '.?':
    case '!_':
    case '-_': {
      const operand = node.op === '.' || node.op === '.?' ? node.args[0] : node.args;
      return scalar(estimate(operand).cost + 1);
    }
    case 'list': {
      const elements = node.args.map(estimate);
      return { cost: elements.reduce((sum, e) => sum + e.cost, 1), size: elements.length };
    }
    case 'map':
      return { cost: node.args.reduce((sum, [key, value]) => sum + estimate(key).cost + estimate(value).cost, 1), size: node.args.length };
    case 'call':
      return scalar(node.args[1].reduce((sum, arg) => sum + estimate(arg).cost, 1));
    case 'rcall':
      return estimateReceiverCall(node.args[0], node.args[1], node.args[2]);
    case '?:':
      return scalar(node.args.reduce((sum, arg) => sum + estimate(arg).cost, 1));
    case 'in': {
      const [element, collection] = node.args.map(estimate) as [Estimate, Estimate];
      return scalar(element.cost + collection.cost + (collection.size ?? MAX_FEATURE_STRING_LENGTH));
    }
    default: {
      const [left, right] = node.args as [ASTNode, ASTNode];
      return scalar(estimate(left).cost + estimate(right).cost + 1);
    }
  }
}

/** The worst-case cost of evaluating an expression once; throws an ExpressionLimitError when it has no bound. */
export function expressionCost(ast: ASTNode): number {
  return estimate(ast).cost;
}

/** Refuses an expression longer than the limit before it is parsed. */
export function checkExpressionLength(expression: string): void {
  if (expression.length > RULE_LIMITS.maxExpressionLength) {
    throw new ExpressionLimitError(`expression is ${expression.length} characters; the limit is ${RULE_LIMITS.maxExpressionLength}`);
  }
}
