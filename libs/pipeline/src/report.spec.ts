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

  it('draws every chart with data in headless Chromium, with no console errors', async () => {
    const file = join(dir, 'report.html');
    await writeFile(file, renderReport(data));
    const check = await checkReportInBrowser({ file, executablePath: requireChromium(), args: HEADLESS_CHROMIUM_ARGS });
    expect(check.consoleErrors).toEqual([]);
    expect(check.renderedCharts).toHaveLength(6);
    for (const [chart, shapes] of Object.entries(check.shapesPerChart)) expect({ chart, drawn: shapes > 2 }).toEqual({ chart, drawn: true });
  }, 60_000);
});
