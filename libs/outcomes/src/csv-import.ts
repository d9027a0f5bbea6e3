// Outcomes kept in spreadsheets (an acquirer's chargeback report, a review team's verdicts) are imported from CSV through the same intake as the topic.
import type { Database, ReceivedMessage } from '@fraudline/db';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { basename } from 'node:path';
import { recordOutcomeMessages, type IntakeReport } from './outcome-intake.js';

/** CSV column → OrderOutcome field. Empty cells are left out, so one file can hold every kind. */
const COLUMNS = {
  outcome_id: 'outcomeId',
  order_id: 'orderId',
  kind: 'kind',
  occurred_at: 'occurredAt',
  known_at: 'knownAt',
  reason_code: 'reasonCode',
  category: 'category',
  amount: 'amount',
  currency: 'currency',
  verdict: 'verdict',
  analyst: 'analyst',
  note: 'note',
  source: 'source',
} as const;

const REQUIRED = ['outcome_id', 'order_id', 'kind', 'occurred_at', 'known_at'] as const;

/** A file that cannot be read as outcomes at all (a wrong header); rows with bad values are rejected one by one instead. */
export class OutcomeCsvError extends Error {
  override readonly name = 'OutcomeCsvError';
}

/** Each data row as an outcome message; its origin is `csv:<file name>`, partition 0, offset = the row's line number. */
export function outcomeMessagesFromCsv(text: string, fileName: string): ReceivedMessage[] {
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, relax_column_count: false, trim: true }) as string[][];
  } catch (error) {
    throw new OutcomeCsvError(`${fileName}: ${(error as Error).message}`);
  }
  const [header, ...data] = rows;
  if (!header) throw new OutcomeCsvError(`${fileName}: the file is empty; expected a header row with ${REQUIRED.join(', ')}`);
  const unknown = header.filter((column) => !(column in COLUMNS));
  if (unknown.length > 0) throw new OutcomeCsvError(`${fileName}: unknown column(s) ${unknown.join(', ')}; known: ${Object.keys(COLUMNS).join(', ')}`);
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new OutcomeCsvError(`${fileName}: missing column(s) ${missing.join(', ')}`);
  const topic = `csv:${basename(fileName)}`;
  return data.map((cells, index) => {
    const event: Record<string, unknown> = { type: 'OrderOutcome', version: 1, source: topic };
    header.forEach((column, i) => {
      if (cells[i] !== '') event[COLUMNS[column as keyof typeof COLUMNS]] = cells[i];
    });
    const orderId = typeof event['orderId'] === 'string' ? event['orderId'] : null;
    // Line numbers count the header as line 1.
    return { topic, partition: 0, offset: String(index + 2), key: orderId, value: Buffer.from(JSON.stringify(event)) };
  });
}

/** Imports a CSV of outcomes in chunks; re-importing the same file changes nothing. */
export async function importOutcomeCsv(
  db: Kysely<Database>,
  text: string,
  fileName: string,
  onProgress: (done: number, total: number) => void = () => undefined,
  chunkSize = 1000,
): Promise<IntakeReport> {
  const messages = outcomeMessagesFromCsv(text, fileName);
  const report: IntakeReport = { recorded: 0, unchanged: 0, rejected: [] };
  for (let start = 0; start < messages.length; start += chunkSize) {
    const chunk = await recordOutcomeMessages(db, messages.slice(start, start + chunkSize));
    report.recorded += chunk.recorded;
    report.unchanged += chunk.unchanged;
    report.rejected.push(...chunk.rejected);
    onProgress(Math.min(start + chunkSize, messages.length), messages.length);
  }
  return report;
}
