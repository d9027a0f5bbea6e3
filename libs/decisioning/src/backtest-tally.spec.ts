import { BacktestTally, sameDecision, type ComparedDecision, type TalliedOrder } from './backtest-tally.js';

const approve: ComparedDecision = { decision: 'approve', score: 0, reasons: [] };
const review = (ruleId = 'r1', score = 40): ComparedDecision => ({ decision: 'review', score, reasons: [{ ruleId, reason: `${ruleId} fired`, score }] });
const stored = (decision: ComparedDecision, rulesetId = 'live', rulesetVersion = 1) => ({ ...decision, rulesetId, rulesetVersion });

function order(id: number, label: TalliedOrder['label'], was: ComparedDecision, now: ComparedDecision, amount = 100): TalliedOrder {
  return { orderId: `o${id}`, amount, label, stored: stored(was), replayed: now };
}

describe('backtest tally', () => {
  it('scores review and decline as flagged, leaves unknown labels out, and weighs fraud by amount', () => {
    const tally = new BacktestTally({ id: 'candidate', version: 1 });
    tally.add(order(1, 'fraud', approve, review(), 300));
    tally.add(order(2, 'fraud', approve, approve, 100));
    tally.add(order(3, 'legitimate', approve, review()));
    tally.add(order(4, 'legitimate', approve, approve));
    tally.add(order(5, 'unknown', approve, review()));
    const { backtested, stored: before } = tally.summary();
    expect(backtested).toMatchObject({ orders: 5, byDecision: { approve: 2, review: 3, decline: 0 }, truePositives: 1, falsePositives: 1, falseNegatives: 1, trueNegatives: 1, unknown: 1 });
    expect(backtested.alertRate).toBe(3 / 5);
    expect(backtested.precision).toBe(0.5);
    expect(backtested.recall).toBe(0.5);
    expect(backtested.f1).toBe(0.5);
    expect(backtested.fraudAmountRecall).toBe(0.75);
    expect(before).toMatchObject({ truePositives: 0, falseNegatives: 2, precision: undefined, recall: 0, f1: undefined, fraudAmountRecall: 0 });
  });

  it('counts every change but lists only the first few, and per rule only its fires on judged orders', () => {
    const tally = new BacktestTally({ id: 'candidate', version: 1 }, 2);
    for (let i = 0; i < 4; i++) tally.add(order(i, i % 2 ? 'fraud' : 'unknown', approve, review('velocity')));
    const summary = tally.summary();
    expect(summary.changes).toEqual({ 'approve→review': 4 });
    expect(summary.changed.map((c) => c.orderId)).toEqual(['o0', 'o1']);
    expect(summary.changed[1]).toEqual({ orderId: 'o1', label: 'fraud', from: { decision: 'approve', score: 0, rules: [] }, to: { decision: 'review', score: 40, rules: ['velocity'] } });
    expect(summary.rules).toEqual([{ ruleId: 'velocity', fires: 4, fraudFires: 2, legitimateFires: 0, precision: 1 }]);
  });

  it('counts reproduction only where the stored decision is the backtested version, and names the first that differs', () => {
    const tally = new BacktestTally({ id: 'live', version: 1 });
    tally.add(order(1, 'unknown', review(), review()));
    tally.add(order(2, 'unknown', review('r1', 40), review('r1', 45)));
    tally.add({ ...order(3, 'unknown', approve, approve), stored: stored(approve, 'live', 2) });
    tally.add({ ...order(4, 'unknown', approve, review()), shadow: review() });
    expect(tally.summary().sameRuleset).toEqual({ orders: 3, reproduced: 1, firstMismatch: 'o2' });
    expect(tally.summary().shadowed).toEqual({ orders: 1, reproduced: 1 });
  });

  it('compares reasons as stored in jsonb (keys reordered, no undefined action) with freshly decided ones', () => {
    const decided: ComparedDecision = { decision: 'review', score: 20, reasons: [{ ruleId: 'w', reason: 'On the Watchlist', score: 20, action: 'review' }, { ruleId: 'x', reason: 'x', score: 0, action: undefined }] };
    const fromJsonb = JSON.parse('{"decision":"review","score":20,"reasons":[{"score":20,"action":"review","reason":"On the Watchlist","ruleId":"w"},{"score":0,"reason":"x","ruleId":"x"}]}') as ComparedDecision;
    expect(sameDecision(fromJsonb, decided)).toBe(true);
    expect(sameDecision(fromJsonb, { ...decided, reasons: decided.reasons.slice(1) })).toBe(false);
  });
});
