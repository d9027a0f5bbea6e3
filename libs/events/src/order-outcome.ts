// The OrderOutcome v1 contract: what became known about an order after its decision (a chargeback, a verdict), the labels fraud is measured by.
import { z } from 'zod';
import { decimalString } from './order-placed.js';

export const OUTCOME_KINDS = ['chargeback', 'fraud_refund', 'analyst_verdict', 'customer_confirmation'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** What an outcome says about the order: fraud, legitimate, or nothing about fraud (a chargeback for a service dispute). */
export type OutcomeLabel = 'fraud' | 'legitimate';

/**
 * How long an unlabelled order stays "unknown": chargebacks arrive up to about 30 days after the order, so only an
 * order older than this with no fraud outcome counts as legitimate. Younger ones are not yet judged. The warehouse's
 * quality marts and the backtest both score by it.
 */
export const LABEL_MATURITY_DAYS = 30;

const timestamp = z.iso.datetime({ offset: true });
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
  .default('IDR');

const outcomeBase = {
  type: z.literal('OrderOutcome'),
  version: z.literal(1),
  /** The sender's id for this fact; a redelivery or re-import with the same id changes nothing. */
  outcomeId: z.string().min(1).max(128),
  orderId: z.uuid({ version: 'v7' }),
  /** When it happened (the chargeback's dispute date, the verdict's time). */
  occurredAt: timestamp,
  /** When it became known to us; a backtest as of time T sees only outcomes known by T. */
  knownAt: timestamp,
  /** Where it came from, e.g. `acquirer`, `console`, `csv:chargebacks-2026-11.csv`. */
  source: z.string().min(1).max(128).optional(),
};

export const orderOutcomeV1Schema = z
  .discriminatedUnion('kind', [
    z.object({
      ...outcomeBase,
      kind: z.literal('chargeback'),
      /** The card network's reason code, e.g. Visa 10.4 or Mastercard 4837. */
      reasonCode: z.string().min(1).max(16),
      /** `fraud` for a fraud reason code; `dispute` for a service dispute, which says nothing about fraud. */
      category: z.enum(['fraud', 'dispute']),
      amount: decimalString,
      currency,
    }),
    z.object({ ...outcomeBase, kind: z.literal('fraud_refund'), amount: decimalString, currency }),
    z.object({
      ...outcomeBase,
      kind: z.literal('analyst_verdict'),
      verdict: z.enum(['fraud', 'legitimate']),
      analyst: z.string().min(1).max(64),
      note: z.string().max(2000).optional(),
    }),
    z.object({ ...outcomeBase, kind: z.literal('customer_confirmation') }),
  ])
  .refine((outcome) => Date.parse(outcome.knownAt) >= Date.parse(outcome.occurredAt), {
    message: 'must not be before occurredAt',
    path: ['knownAt'],
  });

export type OrderOutcomeV1 = z.output<typeof orderOutcomeV1Schema>;
export type OrderOutcomeV1Input = z.input<typeof orderOutcomeV1Schema>;
export type OrderOutcome = OrderOutcomeV1;

/** The label an outcome carries; undefined for a chargeback that is a service dispute. */
export function outcomeLabel(outcome: OrderOutcome): OutcomeLabel | undefined {
  switch (outcome.kind) {
    case 'chargeback':
      return outcome.category === 'fraud' ? 'fraud' : undefined;
    case 'fraud_refund':
      return 'fraud';
    case 'analyst_verdict':
      return outcome.verdict;
    case 'customer_confirmation':
      return 'legitimate';
  }
}
