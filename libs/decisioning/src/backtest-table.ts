// A backtest as terminal text: the figures an analyst compares first, then the rules, then the orders that change.
import type { BacktestReport } from './backtest.js';
import type { Quality } from './backtest-tally.js';

const percent = (value: number | undefined) => (value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);

/** Rows as aligned columns, numbers right-aligned. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const numeric = (text: string) => /^[-\d.,%]+$/.test(text);
  return rows.map((row) => row.map((cell, column) => (column > 0 && numeric(cell) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}

const qualityRow = (name: string, q: Quality) => [
  name,
  String(q.byDecision.approve),
  String(q.byDecision.review),
  String(q.byDecision.decline),
  percent(q.alertRate),
  percent(q.precision),
  percent(q.recall),
  percent(q.f1),
  percent(q.fraudAmountRecall),
];

export function formatBacktest(report: BacktestReport, stored = 'stored'): string[] {
  const ref = `${report.ruleset.id}@${report.ruleset.version}`;
  const q = report.backtested;
  const lines = [
    `backtest of ${ref} on orders placed ${report.period.from.toISOString()} – ${report.period.to.toISOString()}`,
    `${report.periodOrders} orders in the period (${report.unordered} decided before decision order was recorded, not replayed); ${report.replayed} decisions replayed in ${(report.elapsedMs / 1000).toFixed(1)} s`,
    `${report.truth === 'outcomes' ? 'labels from outcomes known now' : "the generator's ground truth"}: ${q.truePositives + q.falseNegatives} fraud, ${q.falsePositives + q.trueNegatives} legitimate, ${q.unknown} not known yet (review and decline count as flagged)`,
    '',
    ...alignColumns([['DECISIONS', 'APPROVE', 'REVIEW', 'DECLINE', 'ALERTS', 'PRECISION', 'RECALL', 'F1', 'FRAUD AMOUNT'], qualityRow(ref, q), qualityRow(stored, report.stored)]),
    '',
    ...alignColumns([
      ['RULE', 'FIRES', 'ON FRAUD', 'ON LEGITIMATE', 'PRECISION'],
      ...report.rules.map((r) => [r.ruleId, String(r.fires), String(r.fraudFires), String(r.legitimateFires), percent(r.precision)]),
    ]),
  ];
  for (const [counted, what] of [
    [report.sameRuleset, 'decisions stored by'],
    [report.shadowed, 'shadow decisions of'],
  ] as const) {
    if (counted.orders === 0) continue;
    const { orders, reproduced, firstMismatch } = counted;
    lines.push('', `${reproduced} of ${orders} ${what} ${ref} reproduced exactly${firstMismatch ? `; first that differs: order ${firstMismatch}` : ''}`);
  }
  const changes = Object.entries(report.changes);
  lines.push('', changes.length === 0 ? `no outcome changes against the ${stored} decisions` : `outcome changes against the ${stored} decisions: ${changes.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (report.changed.length > 0) {
    lines.push(
      ...alignColumns([
        ['ORDER', 'LABEL', 'FROM', 'TO', 'RULES FROM', 'RULES TO'],
        ...report.changed.map((c) => [c.orderId, c.label, `${c.from.decision} ${c.from.score}`, `${c.to.decision} ${c.to.score}`, c.from.rules.join(',') || '-', c.to.rules.join(',') || '-']),
      ]),
    );
  }
  return lines;
}
