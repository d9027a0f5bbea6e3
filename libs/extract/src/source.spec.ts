import { wholeLines } from './source.js';

async function* chunks(...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

const collect = async (source: AsyncIterable<Buffer>) => {
  const out: string[] = [];
  for await (const chunk of source) out.push(chunk.toString('utf8'));
  return out;
};

describe('wholeLines', () => {
  it('cuts chunks at the last newline and carries the rest, including a split multi-byte character', async () => {
    const li = Buffer.from('李');
    async function* split() {
      yield Buffer.from('a\tb\nc\t');
      yield Buffer.concat([Buffer.from('d'), li.subarray(0, 1)]);
      yield Buffer.concat([li.subarray(1), Buffer.from('\ne\n')]);
    }
    expect(await collect(wholeLines(split()))).toEqual(['a\tb\n', 'c\td李\ne\n']);
  });

  it('yields nothing for no data and fails on a last line without its newline', async () => {
    expect(await collect(wholeLines(chunks()))).toEqual([]);
    await expect(collect(wholeLines(chunks('a\n', 'b')))).rejects.toThrow('COPY output ended inside a line: b');
  });
});
