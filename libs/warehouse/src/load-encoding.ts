// The load line format shared by every engine: Postgres COPY text, which Postgres streams out and in natively; BigQuery gets it as NDJSON.
import type { ColumnType, RawColumn } from './raw-tables.js';

/**
 * One row as text, in load column order (see loadColumns): strings as is, integers and numerics as decimal text (numerics
 * without trailing zeros, never a float), booleans `true`/`false`, timestamps as UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`, JSON
 * columns as one-line JSON text, NULL as null.
 */
export type RowValues = readonly (string | null)[];

/** What Postgres COPY TO escapes in text format (backslash and six control characters), and how. */
const COPY_SPECIALS = /[\\\b\f\n\r\t\v]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
const COPY_UNESCAPES: Record<string, string> = { '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Rows as COPY text lines, byte for byte what Postgres COPY TO would write for the same text values. */
export function encodeCopyLines(rows: readonly RowValues[]): string {
  let text = '';
  for (const values of rows) {
    let line = '';
    for (let i = 0; i < values.length; i += 1) {
      const value = values[i] ?? null;
      line += (i === 0 ? '' : '\t') + (value === null ? '\\N' : value.replace(COPY_SPECIALS, (special) => COPY_ESCAPES[special] as string));
    }
    text += `${line}\n`;
  }
  return text;
}

/** One COPY text line (without its newline) back into values. */
export function parseCopyLine(line: string): RowValues {
  return line.split('\t').map((field) => (field === '\\N' ? null : field.replace(/\\(.)/g, (escape, code: string) => COPY_UNESCAPES[code] ?? escape)));
}

/** How each type's text goes into a JSON line: strings quoted, numbers and booleans bare, numerics quoted so no float touches them. */
const JSON_VALUE: Record<ColumnType, (value: string) => string> = {
  string: (value) => JSON.stringify(value),
  numeric: (value) => `"${value}"`,
  timestamp: (value) => `"${value}"`,
  int64: (value) => value,
  bool: (value) => value,
  json: (value) => value,
};

/** Newline-delimited JSON objects keyed by column name (the format BigQuery load jobs read), from values in `columns` order. */
export function ndjsonEncoder(columns: readonly RawColumn[]): (rows: readonly RowValues[]) => string {
  const keys = columns.map((column, index) => `${index === 0 ? '{' : ','}${JSON.stringify(column.name)}:`);
  const encoders = columns.map((column) => JSON_VALUE[column.type]);
  return (rows) => {
    let text = '';
    for (const values of rows) {
      let line = '';
      for (let i = 0; i < keys.length; i += 1) {
        const value = values[i] ?? null;
        line += keys[i] + (value === null ? 'null' : (encoders[i] as (value: string) => string)(value));
      }
      text += `${line}}\n`;
    }
    return text;
  };
}
