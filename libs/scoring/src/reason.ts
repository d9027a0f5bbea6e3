// Words for a contribution, so a learned score can be explained next to the rules' reasons.
import type { Contribution } from './compile.js';

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(4)));
}

/** E.g. `user.orders1h = 7 raised the score by 1.3` (log-odds; without a contribution just `… raised the score`), `order.paymentMethod = "Credit Card" raised the score by 0.8`. */
export function reasonFor(contribution: Pick<Contribution, 'feature' | 'value' | 'equals'> & { contribution?: number }): string {
  const { feature, value, equals } = contribution;
  const fact =
    equals === undefined ? `${feature} = ${formatNumber(value)}` : `${feature} ${value !== 0 ? '=' : '!='} ${JSON.stringify(equals)}`;
  if (contribution.contribution === undefined) return `${fact} raised the score`;
  return `${fact} raised the score by ${Number(contribution.contribution.toFixed(2))}`;
}
