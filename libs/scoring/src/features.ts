// The model's inputs: a flat record of named numbers, the FeatureSpec that picks and encodes them, and the flattener from nested snapshots.
import { z } from 'zod';

/** Numeric features keyed by dotted path, e.g. `"user.orders1h"`; one-hot entries are keyed `"order.paymentMethod=Credit Card"`. Missing keys read as 0. */
export type FlatFeatures = Readonly<Record<string, number>>;

/** Transforms a numeric input may apply before standardisation. */
export const TRANSFORMS = ['log1p'] as const;
export type Transform = (typeof TRANSFORMS)[number];

const featureName = z
  .string()
  .min(1)
  .regex(/^[^=]+$/, 'must not contain "=" (it separates a one-hot feature from its value)');

/**
 * One model input. Numeric: reads `feature`, optionally transformed. One-hot: 1 when the string feature equals `equals`, else 0.
 * `log1p` is signed (`sign(x)·ln(1+|x|)`), so sentinels such as `accountAgeDays = -1` stay finite.
 */
export const modelInputSchema = z
  .strictObject({
    feature: featureName,
    transform: z.enum(TRANSFORMS).optional(),
    equals: z.string().optional(),
  })
  .refine((input) => input.transform === undefined || input.equals === undefined, {
    message: 'a one-hot input (equals) cannot also have a transform',
    path: ['transform'],
  });

export const featureSpecSchema = z
  .strictObject({ inputs: z.array(modelInputSchema).min(1) })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.inputs.forEach((input, index) => {
      const name = inputName(input);
      if (seen.has(name)) ctx.addIssue({ code: 'custom', message: `duplicate input "${name}"`, path: ['inputs', index] });
      seen.add(name);
    });
  });

export type ModelInput = z.output<typeof modelInputSchema>;
/** The ordered list of model inputs; means, stds and weights in a model document are aligned with `inputs`. */
export type FeatureSpec = z.output<typeof featureSpecSchema>;

/** The flat-record key of a one-hot entry. */
export function oneHotKey(feature: string, equals: string): string {
  return `${feature}=${equals}`;
}

/** A readable, unique name for an input: `order.amount`, `log1p(order.amount)`, `order.paymentMethod=Credit Card`. */
export function inputName(input: ModelInput): string {
  if (input.equals !== undefined) return oneHotKey(input.feature, input.equals);
  return input.transform ? `${input.transform}(${input.feature})` : input.feature;
}

/** The flat-record key an input reads. */
export function inputKey(input: ModelInput): string {
  return input.equals === undefined ? input.feature : oneHotKey(input.feature, input.equals);
}

/** Signed log1p: monotone, finite for every finite x, and keeps the sign of x. */
export function signedLog1p(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

/** An input reader precomputed from a spec: the same code path encodes training rows and scored orders. */
export interface InputReader {
  readonly keys: readonly string[];
  /** Writes each input's transformed value (missing or non-finite → 0) into `out`, which must hold keys.length numbers. */
  read(features: FlatFeatures, out: Float64Array): void;
}

export function inputReader(spec: FeatureSpec): InputReader {
  const keys = spec.inputs.map(inputKey);
  const log1p = Uint8Array.from(spec.inputs, (input) => (input.transform === 'log1p' ? 1 : 0));
  return {
    keys,
    read(features, out) {
      for (let i = 0; i < keys.length; i++) {
        const raw = features[keys[i]!];
        const x = raw !== undefined && Number.isFinite(raw) ? raw : 0;
        out[i] = log1p[i] === 1 ? signedLog1p(x) : x;
      }
    },
  };
}

/** Per spec: string feature → listed value → its flat key (built once, so flattening makes no new strings). */
type OneHotKeys = ReadonlyMap<string, ReadonlyMap<string, string>>;
const oneHotCache = new WeakMap<FeatureSpec, OneHotKeys>();

function oneHotKeys(spec: FeatureSpec): OneHotKeys {
  let keys = oneHotCache.get(spec);
  if (!keys) {
    const map = new Map<string, Map<string, string>>();
    for (const input of spec.inputs) {
      if (input.equals === undefined) continue;
      const values = map.get(input.feature) ?? new Map<string, string>();
      values.set(input.equals, oneHotKey(input.feature, input.equals));
      map.set(input.feature, values);
    }
    keys = map;
    oneHotCache.set(spec, keys);
  }
  return keys;
}

/** Dotted paths built so far, by parent path then key: reusing the same string objects makes flattening about twice as fast. */
const pathCache = new Map<string, Map<string, string>>();
let cachedPaths = 0;
/** Bounds the cache, should keys ever be data (ids) rather than field names. */
const MAX_CACHED_PATHS = 4096;

function childPath(parent: string, key: string): string {
  let children = pathCache.get(parent);
  let path = children?.get(key);
  if (path !== undefined) return path;
  path = `${parent}.${key}`;
  if (cachedPaths < MAX_CACHED_PATHS) {
    if (!children) pathCache.set(parent, (children = new Map()));
    children.set(key, path);
    cachedPaths++;
  }
  return path;
}

function flattenInto(out: Record<string, number>, value: unknown, path: string, oneHot: OneHotKeys | undefined): void {
  switch (typeof value) {
    case 'number':
      if (Number.isFinite(value)) out[path] = value;
      return;
    case 'boolean':
      out[path] = value ? 1 : 0;
      return;
    case 'string': {
      const key = oneHot?.get(path)?.get(value);
      if (key !== undefined) out[key] = 1;
      return;
    }
    case 'object':
      if (value === null || Array.isArray(value)) return;
      for (const key in value) if (Object.hasOwn(value, key)) flattenInto(out, (value as Record<string, unknown>)[key], childPath(path, key), oneHot);
      return;
    default:
      return;
  }
}

/**
 * Flattens `{ group: { field: value } }` (any depth) into dotted keys. Finite numbers are kept, booleans become 0/1, and a string
 * becomes `"path=value": 1` only when the spec lists that exact path and value; other strings, non-finite numbers and nulls are
 * dropped (and so read as 0). Takes any object (e.g. a FeatureSnapshot), so new groups and fields need no change here.
 */
export function flattenFeatures(nested: object, spec?: FeatureSpec): Record<string, number> {
  const oneHot = spec ? oneHotKeys(spec) : undefined;
  const out: Record<string, number> = {};
  for (const group in nested) if (Object.hasOwn(nested, group)) flattenInto(out, (nested as Record<string, unknown>)[group], group, oneHot);
  return out;
}
