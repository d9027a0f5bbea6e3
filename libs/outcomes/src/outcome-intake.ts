// Every way an outcome arrives (topic, CSV, code) ends here: validate, check its order exists, store it once, and keep every refusal with its reason.
import {
  rejectedEvent as rejection,
  storedOrderIds,
  storeOutcomes,
  type Database,
  type NewOrderOutcome,
  type OutcomeWrite,
  type ReceivedMessage,
  type RejectedEvent,
} from '@fraudline/db';
import { decodeOrderOutcome, outcomeLabel, type FieldIssue, type OrderOutcome, type OrderOutcomeV1Input } from '@fraudline/events';
import type { Kysely } from 'kysely';

export interface IntakeReport {
  recorded: number;
  /** Already stored with the same content (a redelivery, a re-import). */
  unchanged: number;
  /** Refused messages, each kept in raw.rejected_events with its reason. */
  rejected: RejectedEvent[];
}

function outcomeRow(outcome: OrderOutcome): NewOrderOutcome {
  return {
    outcome_id: outcome.outcomeId,
    order_id: outcome.orderId,
    kind: outcome.kind,
    label: outcomeLabel(outcome) ?? null,
    amount: 'amount' in outcome ? outcome.amount : null,
    occurred_at: outcome.occurredAt,
    known_at: outcome.knownAt,
    source: outcome.source ?? null,
    message: JSON.stringify(outcome),
  };
}

const conflict = (id: string) => [{ field: 'outcomeId', message: `outcome ${id} is already stored with other content` }];

/**
 * Records a batch of outcome messages in one transaction. Bad messages (undecodable, for an order that is not
 * stored, an outcome id reused with other content) are rejected with their reason; the rest are stored once.
 */
export async function recordOutcomeMessages(db: Kysely<Database>, messages: readonly ReceivedMessage[]): Promise<IntakeReport> {
  const rejected: RejectedEvent[] = [];
  const decoded: { message: ReceivedMessage; outcome: OrderOutcome }[] = [];
  for (const message of messages) {
    const result = decodeOrderOutcome(message.value);
    if (result.ok) decoded.push({ message, outcome: result.event });
    else rejected.push(rejection(message, result.error.kind, result.error.issues));
  }
  const known = await storedOrderIds(
    db,
    decoded.map(({ outcome }) => outcome.orderId),
  );
  const accepted = decoded.filter(({ message, outcome }) => {
    if (known.has(outcome.orderId)) return true;
    rejected.push(rejection(message, 'unknown_reference', [{ field: 'orderId', message: `no order "${outcome.orderId}" is stored` }]));
    return false;
  });
  const writes = await storeOutcomes(
    db,
    accepted.map(({ outcome }) => outcomeRow(outcome)),
    rejected,
  );
  const conflicting = accepted.filter((_, index) => writes[index] === 'conflicting');
  const late = conflicting.map(({ message, outcome }) => rejection(message, 'conflicting_duplicate', conflict(outcome.outcomeId)));
  if (late.length > 0) await storeOutcomes(db, [], late);
  const count = (write: OutcomeWrite) => writes.filter((w) => w === write).length;
  return { recorded: count('recorded'), unchanged: count('unchanged'), rejected: [...rejected, ...late] };
}

/** An outcome given in code (the console, a script) that cannot be recorded; `issues` name the fields. */
export class OutcomeRejectedError extends Error {
  override readonly name = 'OutcomeRejectedError';
  constructor(
    readonly kind: string,
    readonly issues: FieldIssue[],
  ) {
    super(`outcome refused (${kind}): ${issues.map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message)).join('; ')}`);
  }
}

/** Records one outcome given in code; throws OutcomeRejectedError naming the field, and returns whether it was new. */
export async function recordOutcome(db: Kysely<Database>, input: OrderOutcomeV1Input): Promise<'recorded' | 'unchanged'> {
  const result = decodeOrderOutcome(JSON.stringify(input));
  if (!result.ok) throw new OutcomeRejectedError(result.error.kind, result.error.issues);
  const outcome = result.event;
  if (!(await storedOrderIds(db, [outcome.orderId])).has(outcome.orderId)) {
    throw new OutcomeRejectedError('unknown_reference', [{ field: 'orderId', message: `no order "${outcome.orderId}" is stored` }]);
  }
  const [write] = await storeOutcomes(db, [outcomeRow(outcome)]);
  if (write === 'conflicting') throw new OutcomeRejectedError('conflicting_duplicate', conflict(outcome.outcomeId));
  return write!;
}
