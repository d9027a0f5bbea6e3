// Gathers the report's figures: the marts in the warehouse for the fraud picture, the run summary for outcomes and quality.
import type { Warehouse } from '@fraudline/warehouse';
import type { ReportData } from './report.js';
import type { RunSummary } from './summary.js';

const num = (value: unknown) => Number(value ?? 0);

export async function reportData(warehouse: Warehouse, summary: RunSummary, adapters: string): Promise<ReportData> {
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
  };
}
