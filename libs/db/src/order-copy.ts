// The fast write path for a decided batch on a Postgres server: plain COPY into every table inside one transaction.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { DecidedBatch, LandedEvent, RejectedEvent } from './order-store.js';
import type { NewDecision, NewOrder, NewShadowDecision } from './schema.js';

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

type Cell = string | number | boolean | Date | null | undefined;

/** One value in COPY's text format: backslash, tab, newline and carriage return escaped; null is \N. */
function cell(value: Cell): string {
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '\\N';
  return value.toISOString();
}

/** One row: built by concatenation, the hot loop of a batch write, rather than by an array per row. */
function line(cells: Cell[]): string {
  let text = cell(cells[0]);
  for (let i = 1; i < cells.length; i++) text += `\t${cell(cells[i])}`;
  return `${text}\n`;
}

const TABLES = {
  landed: {
    copy: 'COPY raw.order_events (topic, partition, "offset", message_key, order_id, message) FROM STDIN',
    line: (e: LandedEvent) => line([e.topic, e.partition, e.offset, e.message_key, e.order_id, e.message]),
  },
  orders: {
    copy:
      'COPY orders (order_id, user_id, product_id, merchant_id, quantity, unit_price, amount, currency, payment_method, country, ' +
      'device_id, ip, ip_country, is_vpn, email, created_at) FROM STDIN',
    line: (o: NewOrder) =>
      line([
        o.order_id,
        o.user_id,
        o.product_id,
        o.merchant_id,
        o.quantity,
        o.unit_price,
        o.amount,
        o.currency,
        o.payment_method,
        o.country,
        o.device_id,
        o.ip,
        o.ip_country,
        o.is_vpn,
        o.email,
        o.created_at,
      ]),
  },
  decisions: {
    copy:
      'COPY decisions (order_id, decision, score, status, is_fraud, reasons, rule_failures, ruleset_id, ruleset_version, latency_ms, order_created_at, ' +
      'decision_seq, risk_list_version, features, model_id, model_version) FROM STDIN',
    line: (d: NewDecision) =>
      line([
        d.order_id,
        d.decision,
        d.score,
        d.status,
        d.is_fraud,
        d.reasons,
        d.rule_failures,
        d.ruleset_id,
        d.ruleset_version,
        d.latency_ms,
        d.order_created_at,
        d.decision_seq,
        d.risk_list_version,
        d.features,
        d.model_id,
        d.model_version,
      ]),
  },
  shadows: {
    copy: 'COPY shadow_decisions (order_id, ruleset_id, ruleset_version, decision, score, reasons, rule_failures, order_created_at) FROM STDIN',
    line: (s: NewShadowDecision) =>
      line([s.order_id, s.ruleset_id, s.ruleset_version, s.decision, s.score, s.reasons, s.rule_failures, s.order_created_at]),
  },
  rejected: {
    copy: 'COPY raw.rejected_events (topic, partition, "offset", message_key, payload, payload_encoding, error_kind, error) FROM STDIN',
    line: (r: RejectedEvent) => line([r.topic, r.partition, r.offset, r.message_key, r.payload, r.payload_encoding, r.error_kind, JSON.stringify(r.error)]),
  },
} as const;

async function copyRows<Row>(client: pg.PoolClient, rows: readonly Row[], table: { copy: string; line: (row: Row) => string }): Promise<void> {
  if (rows.length === 0) return;
  await pipeline(Readable.from([rows.map(table.line).join('')]), client.query(copyFrom(table.copy)));
}

/** Postgres' unique_violation: some row of the batch is already stored, i.e. the batch is a redelivery. */
export const UNIQUE_VIOLATION = '23505';

/**
 * Writes the batch with COPY, the cheapest way into Postgres, all or nothing. COPY cannot skip rows that already
 * exist, so a redelivered batch fails with UNIQUE_VIOLATION and leaves nothing behind; the caller then uses the
 * conflict-skipping statement instead.
 */
export async function copyDecidedBatch(pool: pg.Pool, batch: DecidedBatch): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await copyRows(client, batch.landed, TABLES.landed);
    await copyRows(client, batch.orders, TABLES.orders);
    await copyRows(client, batch.decisions, TABLES.decisions);
    await copyRows(client, batch.shadows ?? [], TABLES.shadows);
    await copyRows(client, batch.rejected, TABLES.rejected);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
