// Reason templates are compiled once at load so a typo fails there, and rendering a fired rule is a few string joins.
import { FEATURE_SCHEMA, type FeatureGroup, type FeatureSnapshot } from './features.js';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Intl handles what the fast path cannot spell: exponent notation, NaN and infinities. */
const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

type Segment = string | { group: FeatureGroup; field: string };

export type ReasonTemplate = (features: FeatureSnapshot) => string;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

function placeholderSegment(path: string): Segment {
  const [group, field, ...rest] = path.split('.');
  const fields: Record<string, unknown> | undefined = group !== undefined && Object.hasOwn(FEATURE_SCHEMA, group) ? FEATURE_SCHEMA[group as FeatureGroup] : undefined;
  if (!fields || field === undefined || rest.length > 0 || !Object.hasOwn(fields, field)) {
    throw new TemplateError(`unknown placeholder {{${path}}}; use a FeatureSnapshot field such as {{user.orders1h}}`);
  }
  return { group: group as FeatureGroup, field };
}

/**
 * Large IDR amounts are unreadable without grouping, and amounts carry at most two decimals: 1234567.5 → "1,234,567.5".
 * Groups like Intl.NumberFormat('en-US') but several times faster, which matters when many rules fire.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e13) return numberFormat.format(value);
  const rounded = Number.isInteger(value) ? value : Math.round(value * 100) / 100;
  const text = String(Math.abs(rounded));
  const point = text.indexOf('.');
  const wholeEnd = point === -1 ? text.length : point;
  let grouped = text.slice(0, wholeEnd % 3 || 3);
  for (let i = wholeEnd % 3 || 3; i < wholeEnd; i += 3) grouped += `,${text.slice(i, i + 3)}`;
  return `${rounded < 0 ? '-' : ''}${grouped}${point === -1 ? '' : text.slice(point)}`;
}

function formatValue(value: unknown): string {
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/** Throws a TemplateError for an unknown `{{group.field}}` or a stray brace pair. */
export function compileReasonTemplate(template: string): ReasonTemplate {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) segments.push(template.slice(last, match.index));
    segments.push(placeholderSegment(match[1] ?? ''));
    last = match.index + match[0].length;
  }
  if (last < template.length) segments.push(template.slice(last));
  for (const segment of segments) {
    if (typeof segment === 'string' && (segment.includes('{{') || segment.includes('}}'))) {
      throw new TemplateError(`unbalanced "{{" or "}}" in "${template}"`);
    }
  }
  return (features) => {
    let text = '';
    for (const segment of segments) {
      text += typeof segment === 'string' ? segment : formatValue((features[segment.group] as unknown as Record<string, unknown>)[segment.field]);
    }
    return text;
  };
}
