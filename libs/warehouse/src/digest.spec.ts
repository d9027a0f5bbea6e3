import { checksumFromSums, LineDigest } from './digest.js';
import { encodeCopyLines, type RowValues } from './load-encoding.js';
import type { RawTable } from './raw-tables.js';

const table: RawTable = {
  name: 'decisions',
  columns: [
    { name: 'id', type: 'string' },
    { name: 'doc', type: 'json', nullable: true },
    { name: 'amount', type: 'numeric' },
  ],
  clusterBy: [],
};

/** Lines in load order: the JSON column first. */
const digestOf = (...chunks: RowValues[][]) => {
  const digest = new LineDigest(table);
  for (const rows of chunks) digest.addLines(Buffer.from(encodeCopyLines(rows)));
  return digest.digest();
};

describe('LineDigest', () => {
  const a: RowValues = ['{"x": 1}', 'A', '1.5'];
  const b: RowValues = [null, 'B', '2'];

  it('ignores row order and how rows are cut into chunks', () => {
    expect(digestOf([a, b])).toEqual(digestOf([b], [a]));
  });

  it('changes with a duplicated, missing or altered row', () => {
    const base = digestOf([a, b]);
    expect(digestOf([a, b, b])).not.toEqual(base);
    expect(digestOf([a])).not.toEqual(base);
    expect(digestOf([a, [null, 'B', '2.01']]).checksum).not.toBe(base.checksum);
    expect(digestOf([a, [null, 'B\t', '2']]).checksum).not.toBe(base.checksum);
  });

  it('leaves the JSON column out', () => {
    expect(digestOf([['[1, 2]', 'A', '1.5'], b])).toEqual(digestOf([a, b]));
  });

  it('is zero rows and zero checksum when empty', () => {
    expect(digestOf()).toEqual({ rows: 0, checksum: '0000000000000000' });
  });
});

describe('checksumFromSums', () => {
  it('wraps modulo 2^64', () => {
    expect(checksumFromSums(0xffffffffn, 0xffffffffn + 1n)).toBe('0000000000000000');
    expect(checksumFromSums(1n, 2n)).toBe('0000000100000002');
    expect(checksumFromSums(0n, -1n)).toBe('ffffffffffffffff');
  });
});
