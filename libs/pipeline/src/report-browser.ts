// Opens a rendered report in headless Chromium and reports what a reader would see: charts drawn, console errors, a screenshot.
import { chromium } from 'playwright-core';

export interface BrowserCheck {
  /** Chart ids the page says it rendered. */
  renderedCharts: string[];
  /** SVG shapes drawn per chart; zero means an empty chart. */
  shapesPerChart: Record<string, number>;
  consoleErrors: string[];
}

export async function checkReportInBrowser(options: { file: string; executablePath: string; args: string[]; screenshot?: string }): Promise<BrowserCheck> {
  const browser = await chromium.launch({ executablePath: options.executablePath, args: options.args, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) consoleErrors.push(`network request to ${request.url()}`);
    });
    await page.goto(`file://${options.file}`);
    await page.waitForFunction(() => (window as unknown as { renderedCharts?: string[] }).renderedCharts?.length === 6, undefined, { timeout: 30_000 });
    const renderedCharts = await page.evaluate(() => (window as unknown as { renderedCharts: string[] }).renderedCharts);
    const shapesPerChart = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-chart]')].map((el) => [el.id, el.querySelectorAll('svg path, svg rect').length])),
    );
    if (options.screenshot) await page.screenshot({ path: options.screenshot, fullPage: true });
    return { renderedCharts, shapesPerChart, consoleErrors };
  } finally {
    await browser.close();
  }
}
