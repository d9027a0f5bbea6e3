// Stores a decided batch so that rows Postgres refuses are set apart with their reason and the rest is stored.
import { isDataError, sqlState, storeDecidedBatch, type DecidedBatch, type OrderDatabase, type RejectedEvent } from '@fraudline/db';
import { storableText } from '@fraudline/events';

/** An order of the batch Postgres refused to store, and why. */
export interface UnstorableOrder {
  /** Its index in the batch's aligned landed / orders / decisions arrays. */
  index: number;
  error: { field: string; message: string };
}

export interface IsolatedStore {
  /** The write path of the whole batch, or 'isolating' when a data error split it. */
  path: 'copy' | 'statement' | 'redelivery' | 'isolating';
  /** Orders set apart because they alone fail to store; the caller rejects them. */
  unstorable: UnstorableOrder[];
  /** True when every order was newly written; otherwise some were already stored (a redelivery, or a reused id). */
  allNew: boolean;
}

interface Part {
  orders: number[];
  rejected: number[];
}

function pick(batch: DecidedBatch, part: Part): DecidedBatch {
  const orderIds = new Set(part.orders.map((i) => batch.orders[i]!.order_id));
  return {
    landed: part.orders.map((i) => batch.landed[i]!),
    orders: part.orders.map((i) => batch.orders[i]!),
    decisions: part.orders.map((i) => batch.decisions[i]!),
    rejected: part.rejected.map((i) => batch.rejected[i]!),
    shadows: batch.shadows?.filter((shadow) => orderIds.has(shadow.order_id)),
  };
}

function halves(part: Part): [Part, Part] {
  const units = [...part.orders.map((i) => ['order', i] as const), ...part.rejected.map((i) => ['rejected', i] as const)];
  const half = (list: typeof units): Part => ({
    orders: list.filter(([kind]) => kind === 'order').map(([, i]) => i),
    rejected: list.filter(([kind]) => kind === 'rejected').map(([, i]) => i),
  });
  const middle = Math.ceil(units.length / 2);
  return [half(units.slice(0, middle)), half(units.slice(middle))];
}

/** Postgres's refusal as a field error: the column when Postgres names it, and the SQLSTATE. */
export function describeStorageError(error: unknown): { field: string; message: string } {
  const { message, column } = error as { message?: string; column?: string };
  return { field: column ?? '', message: storableText(`Postgres refused to store it: ${message ?? String(error)} (SQLSTATE ${sqlState(error)})`) };
}

/** A rejection that could not be stored as it was, kept with its bytes as base64 and why it had to change. */
function storableRejection(row: RejectedEvent, error: unknown): RejectedEvent {
  const bytes = Buffer.from(row.payload, row.payload_encoding);
  return {
    ...row,
    message_key: row.message_key === null ? null : storableText(row.message_key),
    payload: bytes.toString('base64'),
    payload_encoding: 'base64',
    error: [...row.error.map((e) => ({ field: storableText(e.field), message: storableText(e.message) })), describeStorageError(error)],
  };
}

/**
 * Stores the batch in one transaction. When Postgres refuses it for its data, the batch is split in halves, each
 * stored on its own, until the rows that fail stand alone: orders among them are returned to be rejected, and a
 * rejection that cannot be stored as it is is stored with its bytes as base64. Every part is idempotent, so a
 * redelivery after a crash half-way stores nothing twice. Any other error (the database or the link) is thrown for
 * the caller to retry.
 */
export async function storeIsolating(database: OrderDatabase, batch: DecidedBatch): Promise<IsolatedStore> {
  try {
    const stored = await storeDecidedBatch(database, batch);
    return { path: stored.path, unstorable: [], allNew: stored.orders === batch.orders.length };
  } catch (error) {
    if (!isDataError(error)) throw error;
  }
  const unstorable: UnstorableOrder[] = [];
  const storePart = async (part: Part): Promise<void> => {
    try {
      await storeDecidedBatch(database, pick(batch, part));
      return;
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (part.orders.length + part.rejected.length > 1) {
        for (const half of halves(part)) await storePart(half);
      } else if (part.orders.length === 1) {
        unstorable.push({ index: part.orders[0]!, error: describeStorageError(error) });
      } else {
        const row = batch.rejected[part.rejected[0]!]!;
        await storeDecidedBatch(database, { landed: [], orders: [], decisions: [], rejected: [storableRejection(row, error)] });
      }
    }
  };
  await storePart({ orders: batch.orders.map((_, i) => i), rejected: batch.rejected.map((_, i) => i) });
  return { path: 'isolating', unstorable, allNew: false };
}
