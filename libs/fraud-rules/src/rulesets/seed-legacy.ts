// Seed A's four hard-coded rules, kept verbatim as a ruleset so old and new decisions can be compared on the same traffic.
import type { RulesetDocument } from '../ruleset.js';

export const seedLegacyRuleset: RulesetDocument = {
  id: 'seed-legacy',
  version: 1,
  description: "Seed A's original rules: any rule that fires declines the order as fraud.",
  thresholds: { review: 100, decline: 100 },
  rules: [
    {
      id: 'night-large-order',
      description: 'Rule A: placed 00:00–04:59 business time with amount ≥ 100,000,000 IDR or quantity > 100.',
      when: 'order.hourLocal <= 4 && (order.amount >= 100000000 || order.quantity > 100)',
      score: 100,
      reason: 'Large order ({{order.amount}} IDR, {{order.quantity}} items) placed at night (hour {{order.hourLocal}})',
      action: 'decline',
    },
    {
      id: 'foreign-billing-country',
      description: 'Rule B: billing country is not Indonesia.',
      when: 'order.country != "ID"',
      score: 100,
      reason: 'Billing country {{order.country}} is outside Indonesia',
      action: 'decline',
    },
    {
      id: 'very-large-order',
      description: 'Rule C: amount ≥ 300,000,000 IDR or quantity > 300.',
      when: 'order.amount >= 300000000 || order.quantity > 300',
      score: 100,
      reason: 'Very large order: {{order.amount}} IDR for {{order.quantity}} items',
      action: 'decline',
    },
    {
      id: 'ewallet-paylater-large-amount',
      description: 'Rule D: paid with DANA, OVO, Gopay or Paylater and amount > 50,000,000 IDR.',
      when: 'order.paymentMethod in ["DANA", "OVO", "Gopay", "Paylater"] && order.amount > 50000000',
      score: 100,
      reason: '{{order.amount}} IDR paid with {{order.paymentMethod}} exceeds the 50,000,000 IDR limit for this method',
      action: 'decline',
    },
  ],
};
