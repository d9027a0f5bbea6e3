// Benchmark figures are recorded under stable keys in docs/benchmarks.json, and docs/benchmarks.md is generated from it.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Figure {
  value: number | string;
  unit: string;
  date: string;
  machine: { cores: number; memoryGiB: number; cpu: string; node: string };
  command: string;
  note?: string;
}

export type Figures = Record<string, Figure>;

export function machine(): Figure['machine'] {
  return { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version };
}

function workspaceRoot(): string {
  return execSync('git rev-parse --show-toplevel', { encoding: 'utf8' }).trim();
}

const jsonPath = () => join(workspaceRoot(), 'docs', 'benchmarks.json');

/** Hand-written notes that docs/benchmarks.md carries after the table: what a baseline means, what a figure implies. */
const notesPath = () => join(workspaceRoot(), 'tools', 'bench', 'benchmarks-notes.md');

export function readFigures(): Figures {
  return existsSync(jsonPath()) ? (JSON.parse(readFileSync(jsonPath(), 'utf8')) as Figures) : {};
}

/** Merges new figures into docs/benchmarks.json and regenerates docs/benchmarks.md. */
export function recordFigures(figures: Record<string, Omit<Figure, 'date' | 'machine'>>): void {
  const all = readFigures();
  const date = new Date().toISOString().slice(0, 10);
  for (const [key, figure] of Object.entries(figures)) {
    all[key] = { ...figure, date, machine: machine() };
    console.log(`${key} = ${figure.value} ${figure.unit}`);
  }
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(jsonPath(), `${JSON.stringify(sorted, null, 2)}\n`);
  writeFileSync(join(workspaceRoot(), 'docs', 'benchmarks.md'), renderMarkdown(sorted, existsSync(notesPath()) ? readFileSync(notesPath(), 'utf8') : ''));
}

/** The table of every figure, then `notes` (Markdown) if any. */
export function renderMarkdown(figures: Figures, notes = ''): string {
  const rows = Object.entries(figures).map(([key, f]) => {
    const value = typeof f.value === 'number' ? Number(f.value.toPrecision(4)).toLocaleString('en-US') : f.value;
    const host = `${f.machine.cores} cores, ${f.machine.memoryGiB} GiB, ${f.machine.cpu}, Node ${f.machine.node}`;
    return `| \`${key}\` | ${value} ${f.unit} | ${f.date} | ${host} | \`${f.command}\` | ${f.note ?? ''} |`;
  });
  return [
    '# Benchmarks',
    '',
    'Generated from `docs/benchmarks.json` and `tools/bench/benchmarks-notes.md` by `npm run bench`; do not edit by hand. Every figure was measured on the machine shown,',
    'with Kafka, Postgres and the BigQuery emulator on the same machine (loopback). Baselines (ceilings and floors) are measured in the same run.',
    '',
    '| key | value | date | machine | command | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(notes.trim() ? [notes.trim(), ''] : []),
  ].join('\n');
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
