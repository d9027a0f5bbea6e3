import { encodeCopyLines, ndjsonEncoder, parseCopyLine, type RowValues } from './load-encoding.js';
import type { RawColumn } from './raw-tables.js';

const columns: RawColumn[] = [
  { name: 'doc', type: 'json', nullable: true },
  { name: 'name', type: 'string', nullable: true },
  { name: 'amount', type: 'numeric' },
  { name: 'n', type: 'int64' },
  { name: 'ok', type: 'bool' },
  { name: 'at', type: 'timestamp' },
];
const tricky = 'tab\there\nnew\\line\r\b\f\v 李 "q" \u0001';
const row: RowValues = ['{"a": "x\\ty"}', tricky, '9999999999999999.99', '9007199254740993', 'true', '2026-03-10T05:34:56.123456Z'];

describe('COPY text lines', () => {
  it('escapes backslash and the six control characters COPY TO escapes, leaves others raw, and writes NULL as \\N', () => {
    expect(encodeCopyLines([row, [null, null, '0.1', '-1', 'false', '2026-01-01T00:00:00.000000Z']])).toBe(
      '{"a": "x\\\\ty"}\ttab\\there\\nnew\\\\line\\r\\b\\f\\v 李 "q" \u0001\t9999999999999999.99\t9007199254740993\ttrue\t2026-03-10T05:34:56.123456Z\n' +
        '\\N\t\\N\t0.1\t-1\tfalse\t2026-01-01T00:00:00.000000Z\n',
    );
  });

  it('keeps a literal \\N string distinct from NULL', () => {
    expect(encodeCopyLines([['\\N'], [null]])).toBe('\\\\N\n\\N\n');
    expect(['\\\\N', '\\N'].map(parseCopyLine)).toEqual([['\\N'], [null]]);
  });

  it('parses its own lines back into the same values', () => {
    const [line] = encodeCopyLines([row]).split('\n');
    expect(parseCopyLine(line as string)).toEqual(row);
  });
});

describe('ndjsonEncoder', () => {
  it('quotes strings, numerics and timestamps, leaves integers, booleans and JSON bare', () => {
    const [line] = ndjsonEncoder(columns)([row]).split('\n');
    expect(line).toBe(
      '{"doc":{"a": "x\\ty"},"name":' +
        JSON.stringify(tricky) +
        ',"amount":"9999999999999999.99","n":9007199254740993,"ok":true,"at":"2026-03-10T05:34:56.123456Z"}',
    );
    expect(JSON.parse(line as string)).toMatchObject({ doc: { a: 'x\ty' }, name: tricky, amount: '9999999999999999.99', ok: true });
  });

  it('writes NULL as null', () => {
    expect(ndjsonEncoder(columns)([[null, null, '1', '2', 'false', '2026-01-01T00:00:00.000000Z']])).toBe(
      '{"doc":null,"name":null,"amount":"1","n":2,"ok":false,"at":"2026-01-01T00:00:00.000000Z"}\n',
    );
  });
});
