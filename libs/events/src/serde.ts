// Versioned (de)serialization of events: bad bytes become a typed error naming the field, never an exception.
import { z } from 'zod';
import { orderOutcomeV1Schema, type OrderOutcome, type OrderOutcomeV1Input } from './order-outcome.js';
import { orderPlacedV1Schema, type OrderPlaced, type OrderPlacedV1Input } from './order-placed.js';

/** Messages above this size are rejected before parsing. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export type DecodeErrorKind = 'oversized' | 'invalid_json' | 'unknown_type' | 'unknown_version' | 'schema_violation';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `device.ip`; empty for the whole message. */
  field: string;
  message: string;
}

export class EventDecodeError extends Error {
  override readonly name = 'EventDecodeError';
  constructor(
    readonly kind: DecodeErrorKind,
    readonly issues: FieldIssue[],
  ) {
    super(`${kind}: ${issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ')}`);
  }
}

export type DecodeResult<E = OrderPlaced> = { ok: true; event: E } | { ok: false; error: EventDecodeError };

const orderPlacedDecoders: Record<number, z.ZodType<OrderPlaced>> = { 1: orderPlacedV1Schema };
const orderOutcomeDecoders: Record<number, z.ZodType<OrderOutcome>> = { 1: orderOutcomeV1Schema };

/** The OrderPlaced versions this release decodes. */
export const SUPPORTED_VERSIONS = Object.keys(orderPlacedDecoders).map(Number);

export function encodeOrderPlaced(event: OrderPlacedV1Input): Buffer {
  return Buffer.from(JSON.stringify(event));
}

export function encodeOrderOutcome(event: OrderOutcomeV1Input): Buffer {
  return Buffer.from(JSON.stringify(event));
}

/** A \u0000 or UTF-16 surrogate escape: rare, but Postgres cannot store U+0000 or a lone surrogate in text or jsonb. */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The text with U+0000 and lone surrogates replaced by U+FFFD, so that any text column or jsonb holds it. */
export const storableText = (text: string): string => text.replace(new RegExp(UNSTORABLE.source, 'g'), '\uFFFD');

/** The path of the first string (or key) holding U+0000 or a lone surrogate, which no database text column accepts. */
function unstorableString(value: unknown, path: string[] = []): string[] | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return [...path, key];
    const found = unstorableString(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function fail(kind: DecodeErrorKind, field: string, message: string): { ok: false; error: EventDecodeError } {
  return { ok: false, error: new EventDecodeError(kind, [{ field, message }]) };
}

/** Decodes one message of event `type` with the decoder of its `version`; every failure is a typed error naming the field. */
function decodeEvent<E>(type: string, decoders: Record<number, z.ZodType<E>>, bytes: Buffer | string | null | undefined): DecodeResult<E> {
  if (bytes == null) return fail('invalid_json', '', 'message has no value');
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  if (size > MAX_MESSAGE_BYTES) return fail('oversized', '', `message is ${size} bytes, limit is ${MAX_MESSAGE_BYTES}`);
  const text = bytes.toString();
  // Decoding replaces bytes that are not UTF-8 with U+FFFD; such a message is not what its producer meant to send.
  if (typeof bytes !== 'string' && text.includes('\uFFFD') && !Buffer.from(text).equals(bytes)) {
    return fail('invalid_json', '', 'message is not valid UTF-8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the input, which may hold text no database column can store.
    return fail('invalid_json', '', storableText((error as Error).message));
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('invalid_json', '', 'message is not a JSON object');
  if (SUSPECT_ESCAPE.test(text)) {
    const path = unstorableString(raw);
    if (path) return fail('invalid_json', path.join('.'), 'contains U+0000 or an unpaired UTF-16 surrogate, which cannot be stored');
  }
  const { type: eventType, version } = raw as { type?: unknown; version?: unknown };
  if (eventType !== type) return fail('unknown_type', 'type', `unknown event type ${JSON.stringify(eventType)}; expected ${type}`);
  const decoder = typeof version === 'number' ? decoders[version] : undefined;
  if (!decoder) {
    return fail('unknown_version', 'version', `unsupported version ${JSON.stringify(version)}; supported: ${Object.keys(decoders).join(', ')}`);
  }
  const parsed = decoder.safeParse(raw);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issues = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
  return { ok: false, error: new EventDecodeError('schema_violation', issues) };
}

export const decodeOrderPlaced = (bytes: Buffer | string | null | undefined): DecodeResult<OrderPlaced> => decodeEvent('OrderPlaced', orderPlacedDecoders, bytes);

export const decodeOrderOutcome = (bytes: Buffer | string | null | undefined): DecodeResult<OrderOutcome> =>
  decodeEvent('OrderOutcome', orderOutcomeDecoders, bytes);
