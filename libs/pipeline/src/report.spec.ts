import { HEADLESS_CHROMIUM_ARGS, requireChromium } from '@fraudline/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectionQuality } from './quality.js';
import { checkReportInBrowser } from './report-browser.js';
import { renderReport, type ReportData } from './report.js';

const data: ReportData = {
  generatedAt: '2026-11-22T02:00:00Z',
  adapters: 'adapters: test',
  dailyFraudRate: [
    { day: '2026-11-19', orders: 100, declined: 3, reviewed: 5, fraudRate: 0.03 },
    { day: '2026-11-20', orders: 120, declined: 6, reviewed: 4, fraudRate: 0.05 },
  ],
  outcomes: [
    { decision: 'approve', orders: 200 },
    { decision: 'review', orders: 9 },
    { decision: 'decline', orders: 9 },
  ],
  paymentFraudByTime: [{ paymentMethod: 'OVO', nightFraud: 2, nightOrders: 10, dayFraud: 1, dayOrders: 50 }],
  blacklist: [{ userId: 'U000001', name: 'Ayu <script>alert(1)</script>', fraudOrders: 4, totalOrders: 6, fraudLoss: 1_000_000 }],
  reasons: [{ ruleId: 'velocity-1h', orders: 7 }],
  quality: [
    {
      ruleset: 'default',
      quality: detectionQuality([
        { predicted: true, actual: true },
        { predicted: false, actual: true },
      ]),
    },
  ],
  labelRiskList: { blacklisted: 3, watchlisted: 11 },
  ruleQuality: [
    { ruleset: 'default', ruleId: 'velocity-1h', fires: 7, fraudFires: 3, legitimateFires: 1, unknownFires: 3, precision: 0.75 },
    { ruleset: 'default', ruleId: 'new-device<b>', fires: 2, fraudFires: 0, legitimateFires: 0, unknownFires: 2, precision: null },
  ],
  backtests: [
    { ruleset: 'default@1', orders: 218, approve: 200, review: 9, decline: 9, alertRate: 18 / 218, precision: 0.5, recall: 0.25, fraudAmountRecall: 0.4, changed: 0, reproduced: { orders: 218, reproduced: 218, as: 'live' } },
    { ruleset: 'seed-legacy@1', orders: 218, approve: 210, review: 0, decline: 8, alertRate: 8 / 218, precision: null, recall: 0, fraudAmountRecall: null, changed: 12, reproduced: { orders: 218, reproduced: 217, as: 'shadow' } },
  ],
};

describe('fraud report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fraudline-report-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is one self-contained file that loads nothing from the network', () => {
    const html = renderReport(data);
    expect(/<script[^>]+src=|<link[^>]+href=/.test(html)).toBe(false);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('<td>default</td><td>100.0%</td><td>50.0%</td>');
  });

  it('shows each backtested ruleset with its outcomes, quality, changes and how many stored decisions it reproduced', () => {
    const html = renderReport(data);
    expect(html).toContain('<tr><td>default@1</td><td>218</td><td>200</td><td>9</td><td>9</td><td>8.3%</td><td>50.0%</td><td>25.0%</td><td>40.0%</td><td>0</td><td>218 of 218</td></tr>');
    expect(html).toContain('<tr><td>seed-legacy@1</td><td>218</td><td>210</td><td>0</td><td>8</td><td>3.7%</td><td>n/a</td><td>0.0%</td><td>n/a</td><td>12</td><td>217 of 218 (shadow)</td></tr>');
  });

  it('shows the label-based risk list size and each rule’s fires, precision and unknown fires', () => {
    const html = renderReport(data);
    expect(html).toContain('<div class="meta" id="label-risk-list">3 blacklisted · 11 watchlisted');
    expect(html).toContain('<thead><tr><th>rule</th><th>ruleset</th><th>fires</th><th>precision</th><th>unknown</th></tr></thead>');
    expect(html).toContain('<tr><td>velocity-1h</td><td>default</td><td>7</td><td>75.0%</td><td>3</td></tr>');
    // A rule none of whose fires is judged yet has no precision, and rule ids are escaped.
    expect(html).toContain('<tr><td>new-device&lt;b&gt;</td><td>default</td><td>2</td><td>n/a</td><td>2</td></tr>');
  });

  it('draws every chart with data in headless Chromium, with no console errors', async () => {
    const file = join(dir, 'report.html');
    await writeFile(file, renderReport(data));
    const check = await checkReportInBrowser({ file, executablePath: requireChromium(), args: HEADLESS_CHROMIUM_ARGS });
    expect(check.consoleErrors).toEqual([]);
    expect(check.renderedCharts).toHaveLength(6);
    for (const [chart, shapes] of Object.entries(check.shapesPerChart)) expect({ chart, drawn: shapes > 2 }).toEqual({ chart, drawn: true });
  }, 60_000);
});
