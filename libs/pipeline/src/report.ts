// Renders the fraud report: one self-contained HTML file with ECharts inlined, so it opens with no network access.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DetectionQuality } from './quality.js';

export interface ReportData {
  generatedAt: string;
  adapters: string;
  dailyFraudRate: { day: string; orders: number; declined: number; reviewed: number; fraudRate: number }[];
  outcomes: { decision: string; orders: number }[];
  paymentFraudByTime: { paymentMethod: string; nightFraud: number; nightOrders: number; dayFraud: number; dayOrders: number }[];
  blacklist: { userId: string; name: string; fraudOrders: number; totalOrders: number; fraudLoss: number }[];
  reasons: { ruleId: string; orders: number }[];
  quality: { ruleset: string; quality: DetectionQuality }[];
  /** The published risk list's size: users by orders labelled fraud by outcomes (mart_label_risk_list). */
  labelRiskList: { blacklisted: number; watchlisted: number };
  /** Per rule of the live rulesets, over the run's days: fires and how many were on fraud, legitimate or not yet known orders. */
  ruleQuality: RuleQuality[];
  /** Rulesets replayed over the run's days with point-in-time features, scored against the outcome labels. */
  backtests: BacktestRow[];
}

export interface BacktestRow {
  ruleset: string;
  orders: number;
  approve: number;
  review: number;
  decline: number;
  alertRate: number;
  /** Against the labels known at report time; null while no flagged order is judged. */
  precision: number | null;
  recall: number | null;
  fraudAmountRecall: number | null;
  /** Orders whose outcome differs from the stored decision. */
  changed: number;
  /** Decisions this very ruleset version stored, live or in shadow, and how many the replay reproduced exactly. */
  reproduced: { orders: number; reproduced: number; as: 'live' | 'shadow' };
}

export interface RuleQuality {
  ruleset: string;
  ruleId: string;
  fires: number;
  fraudFires: number;
  legitimateFires: number;
  unknownFires: number;
  /** fraudFires / (fraudFires + legitimateFires); null while none of its fires is judged. */
  precision: number | null;
}

function echartsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
}

/** Chart specifications, one per figure; every chart is driven by the report data alone. */
function charts(data: ReportData): Record<string, unknown> {
  const percent = (value: number) => Number((value * 100).toFixed(2));
  return {
    'fraud-rate-per-day': {
      title: { text: 'Fraud rate per business day' },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: data.dailyFraudRate.map((d) => d.day) },
      yAxis: { type: 'value', name: '% declined' },
      series: [{ type: 'line', name: 'fraud rate %', data: data.dailyFraudRate.map((d) => percent(d.fraudRate)) }],
    },
    'decisions-by-outcome': {
      title: { text: 'Decisions by outcome' },
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: '60%', data: data.outcomes.map((o) => ({ name: o.decision, value: o.orders })) }],
    },
    'payment-fraud-night-vs-day': {
      title: { text: 'Fraud rate by payment method: 00:00–04:59 vs rest of day' },
      tooltip: { trigger: 'axis' },
      legend: { top: 28 },
      xAxis: { type: 'category', axisLabel: { interval: 0 }, data: data.paymentFraudByTime.map((p) => p.paymentMethod) },
      yAxis: { type: 'value', name: '% fraud' },
      series: [
        { type: 'bar', name: 'night (00:00–04:59)', data: data.paymentFraudByTime.map((p) => percent(p.nightOrders ? p.nightFraud / p.nightOrders : 0)) },
        { type: 'bar', name: 'rest of day', data: data.paymentFraudByTime.map((p) => percent(p.dayOrders ? p.dayFraud / p.dayOrders : 0)) },
      ],
    },
    'top-blacklist': {
      title: { text: "Top 10 users by fraud decisions (seed A's status; the published list counts labels)" },
      tooltip: { trigger: 'axis' },
      grid: { left: 220 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: data.blacklist.map((u) => `${u.name} (${u.userId})`) },
      series: [{ type: 'bar', name: 'fraud orders', data: data.blacklist.map((u) => u.fraudOrders) }],
    },
    'reason-breakdown': {
      title: { text: 'Reasons by number of orders' },
      tooltip: { trigger: 'axis' },
      grid: { left: 200 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: data.reasons.map((r) => r.ruleId) },
      series: [{ type: 'bar', name: 'orders', data: data.reasons.map((r) => r.orders) }],
    },
    'detection-quality': {
      title: { text: 'Detection quality against ground truth' },
      tooltip: { trigger: 'axis' },
      legend: { top: 28 },
      xAxis: { type: 'category', data: data.quality.map((q) => q.ruleset) },
      yAxis: { type: 'value', max: 100, name: '%' },
      series: (['precision', 'recall', 'f1'] as const).map((metric) => ({
        type: 'bar',
        name: metric,
        data: data.quality.map((q) => percent(q.quality[metric])),
      })),
    },
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function renderReport(data: ReportData): string {
  const specs = charts(data);
  const panels = Object.keys(specs)
    .map((id) => `<section class="panel"><div class="chart" id="${id}" data-chart="${id}"></div></section>`)
    .join('\n');
  const ruleRows = data.ruleQuality
    .map(
      (rule) =>
        `<tr><td>${escapeHtml(rule.ruleId)}</td><td>${escapeHtml(rule.ruleset)}</td><td>${rule.fires}</td><td>${rule.precision === null ? 'n/a' : `${(rule.precision * 100).toFixed(1)}%`}</td><td>${rule.unknownFires}</td></tr>`,
    )
    .join('');
  const qualityRows = data.quality
    .map(
      ({ ruleset, quality: q }) =>
        `<tr><td>${escapeHtml(ruleset)}</td><td>${(q.precision * 100).toFixed(1)}%</td><td>${(q.recall * 100).toFixed(1)}%</td><td>${(q.f1 * 100).toFixed(1)}%</td><td>${q.truePositives}</td><td>${q.falsePositives}</td><td>${q.falseNegatives}</td></tr>`,
    )
    .join('');
  const rate = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
  const backtestRows = data.backtests
    .map(
      (b) =>
        `<tr><td>${escapeHtml(b.ruleset)}</td><td>${b.orders}</td><td>${b.approve}</td><td>${b.review}</td><td>${b.decline}</td><td>${rate(b.alertRate)}</td><td>${rate(b.precision)}</td><td>${rate(b.recall)}</td><td>${rate(b.fraudAmountRecall)}</td><td>${b.changed}</td><td>${b.reproduced.orders === 0 ? '-' : `${b.reproduced.reproduced} of ${b.reproduced.orders}${b.reproduced.as === 'shadow' ? ' (shadow)' : ''}`}</td></tr>`,
    )
    .join('');
  // Chart specs are JSON; `<` is escaped so no data value can close the script element.
  const json = JSON.stringify(specs).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fraudline report</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;background:#fafafa;color:#222}h1{margin:0 0 4px}.meta{color:#666;margin-bottom:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:16px}.panel{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px}
.chart{height:360px}h2{font-size:16px;margin:16px 0 4px}table{border-collapse:collapse;background:#fff;margin:16px 0}td,th{border:1px solid #ddd;padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>Fraud report</h1>
<div class="meta">Generated ${escapeHtml(data.generatedAt)} · ${escapeHtml(data.adapters)}</div>
<table><thead><tr><th>ruleset</th><th>precision</th><th>recall</th><th>F1</th><th>TP</th><th>FP</th><th>FN</th></tr></thead><tbody>${qualityRows}</tbody></table>
<h2>Risk list from outcome labels</h2>
<div class="meta" id="label-risk-list">${data.labelRiskList.blacklisted} blacklisted · ${data.labelRiskList.watchlisted} watchlisted (orders labelled fraud by chargebacks, refunds and verdicts; never the rules' own declines)</div>
<h2>Rule quality against outcome labels</h2>
<div class="meta">Precision = fires on orders labelled fraud / fires on judged orders; an unlabelled order is judged legitimate once older than the label delay, before that it is unknown.</div>
<table id="rule-quality"><thead><tr><th>rule</th><th>ruleset</th><th>fires</th><th>precision</th><th>unknown</th></tr></thead><tbody>${ruleRows}</tbody></table>
<h2>Backtest: each ruleset replayed on the run's orders</h2>
<div class="meta">Every order decided again on the features it had when it was decided (landed messages replayed in decision order). Precision and recall against the outcome labels known now; review and decline count as flagged.</div>
<table id="backtests"><thead><tr><th>ruleset</th><th>orders</th><th>approve</th><th>review</th><th>decline</th><th>alerts</th><th>precision</th><th>recall</th><th>fraud amount</th><th>changed vs stored</th><th>its stored decisions reproduced</th></tr></thead><tbody>${backtestRows}</tbody></table>
<div class="grid">
${panels}
</div>
<script>${echartsSource()}</script>
<script>
const specs = ${json};
window.renderedCharts = [];
for (const [id, spec] of Object.entries(specs)) {
  const chart = echarts.init(document.getElementById(id), null, { renderer: 'svg' });
  chart.setOption({ animation: false, ...spec, title: { ...spec.title, left: 'center', textStyle: { fontSize: 14 } } });
  window.renderedCharts.push(id);
}
</script>
</body></html>
`;
}
