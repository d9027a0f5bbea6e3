import { percentile, renderMarkdown, type Figures } from './record.js';

describe('benchmark records', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('renders one table row per key with value, unit, date, machine and command', () => {
    const figures: Figures = {
      'stream.e2e_orders_per_s': {
        value: 12345.678,
        unit: 'orders/s',
        date: '2026-11-22',
        machine: { cores: 2, memoryGiB: 24, cpu: 'Test CPU', node: 'v20.20.2' },
        command: 'npm run bench -- stream',
        note: 'a note',
      },
    };
    expect(renderMarkdown(figures).split('\n')).toContain(
      '| `stream.e2e_orders_per_s` | 12,350 orders/s | 2026-11-22 | 2 cores, 24 GiB, Test CPU, Node v20.20.2 | `npm run bench -- stream` | a note |',
    );
  });

  it('carries the notes after the table, and nothing for no notes', () => {
    const lines = renderMarkdown({}, '## Stream\n\nWhat the ceiling is.\n').split('\n');
    expect(lines.slice(-4)).toEqual(['## Stream', '', 'What the ceiling is.', '']);
    expect(renderMarkdown({}).endsWith('| --- | --- | --- | --- | --- | --- |\n')).toBe(true);
  });
});
