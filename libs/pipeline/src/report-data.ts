// Gathers the report's figures: the marts in the warehouse for the fraud picture, rule quality and the label-based risk list, the run summary for outcomes and quality.
import type { BacktestReport } from '@fraudline/decisioning';
import type { Warehouse } from '@fraudline/warehouse';
import type { BacktestRow, ReportData, RuleQuality } from './report.js';
import type { RunSummary } from './summary.js';

const num = (value: unknown) => Number(value ?? 0);

/** Each live rule's fires over all days and versions of its ruleset, most fired first. */
async function ruleQuality(warehouse: Warehouse): Promise<RuleQuality[]> {
  const rows = await warehouse.query(
    `SELECT ruleset_id, rule_id, SUM(fires) AS fires, SUM(fraud_fires) AS fraud_fires, SUM(legitimate_fires) AS legitimate_fires,
            SUM(unknown_fires) AS unknown_fires
     FROM ${warehouse.table('marts', 'mart_rule_quality_daily')} WHERE decision_source = 'live'
     GROUP BY ruleset_id, rule_id ORDER BY fires DESC, ruleset_id, rule_id`,
  );
  return rows.map((r) => {
    const [fraudFires, legitimateFires] = [num(r['fraud_fires']), num(r['legitimate_fires'])];
    return {
      ruleset: String(r['ruleset_id']),
      ruleId: String(r['rule_id']),
      fires: num(r['fires']),
      fraudFires,
      legitimateFires,
      unknownFires: num(r['unknown_fires']),
      precision: fraudFires + legitimateFires === 0 ? null : fraudFires / (fraudFires + legitimateFires),
    };
  });
}

/** A backtest as one row of the report. */
export function backtestRow(report: BacktestReport): BacktestRow {
  const q = report.backtested;
  return {
    ruleset: `${report.ruleset.id}@${report.ruleset.version}`,
    orders: q.orders,
    approve: q.byDecision.approve,
    review: q.byDecision.review,
    decline: q.byDecision.decline,
    alertRate: q.alertRate,
    precision: q.precision ?? null,
    recall: q.recall ?? null,
    fraudAmountRecall: q.fraudAmountRecall ?? null,
    changed: Object.values(report.changes).reduce((sum, n) => sum + n, 0),
    reproduced:
      report.sameRuleset.orders > 0 || report.shadowed.orders === 0
        ? { orders: report.sameRuleset.orders, reproduced: report.sameRuleset.reproduced, as: 'live' }
        : { orders: report.shadowed.orders, reproduced: report.shadowed.reproduced, as: 'shadow' },
  };
}

export async function reportData(warehouse: Warehouse, summary: RunSummary, adapters: string, backtests: readonly BacktestReport[] = []): Promise<ReportData> {
  const text = warehouse.dialect === 'postgres' ? 'TEXT' : 'STRING';
  const daily = await warehouse.query(
    `SELECT CAST(order_date_local AS ${text}) AS day, orders, declined, reviewed, fraud_rate
     FROM ${warehouse.table('marts', 'mart_daily_fraud_kpis')} ORDER BY order_date_local`,
  );
  const byTime = await warehouse.query(
    `SELECT payment_method,
            SUM(CASE WHEN order_hour_local < 5 AND is_fraud THEN 1 ELSE 0 END) AS night_fraud,
            SUM(CASE WHEN order_hour_local < 5 THEN 1 ELSE 0 END) AS night_orders,
            SUM(CASE WHEN order_hour_local >= 5 AND is_fraud THEN 1 ELSE 0 END) AS day_fraud,
            SUM(CASE WHEN order_hour_local >= 5 THEN 1 ELSE 0 END) AS day_orders
     FROM ${warehouse.table('core', 'fct_orders')} GROUP BY payment_method ORDER BY payment_method`,
  );
  const blacklist = await warehouse.query(
    `SELECT user_id, full_name, fraud_orders, total_orders, total_fraud_loss FROM ${warehouse.table('marts', 'mart_user_fraud_status')}
     WHERE user_status = 'Blacklist' ORDER BY fraud_orders DESC, total_fraud_loss DESC, user_id LIMIT 10`,
  );
  const listed = await warehouse.query(
    `SELECT risk_status, COUNT(*) AS users FROM ${warehouse.table('marts', 'mart_label_risk_list')}
     WHERE risk_status IN ('Blacklist', 'Watchlist') GROUP BY risk_status`,
  );
  const listedAs = (status: string) => num(listed.find((r) => r['risk_status'] === status)?.['users']);
  return {
    generatedAt: new Date().toISOString(),
    adapters,
    dailyFraudRate: daily.map((r) => ({
      day: String(r['day']),
      orders: num(r['orders']),
      declined: num(r['declined']),
      reviewed: num(r['reviewed']),
      fraudRate: num(r['fraud_rate']),
    })),
    outcomes: summary.outcomes,
    paymentFraudByTime: byTime.map((r) => ({
      paymentMethod: String(r['payment_method']),
      nightFraud: num(r['night_fraud']),
      nightOrders: num(r['night_orders']),
      dayFraud: num(r['day_fraud']),
      dayOrders: num(r['day_orders']),
    })),
    blacklist: blacklist.map((r) => ({
      userId: String(r['user_id']),
      name: String(r['full_name']),
      fraudOrders: num(r['fraud_orders']),
      totalOrders: num(r['total_orders']),
      fraudLoss: num(r['total_fraud_loss']),
    })),
    reasons: summary.topReasons,
    quality: summary.quality,
    labelRiskList: { blacklisted: listedAs('Blacklist'), watchlisted: listedAs('Watchlist') },
    ruleQuality: await ruleQuality(warehouse),
    backtests: backtests.map(backtestRow),
  };
}
