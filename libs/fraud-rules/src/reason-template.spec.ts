import { featureSnapshot } from '../test/fixtures.js';
import { compileReasonTemplate, formatNumber, TemplateError } from './reason-template.js';

describe('compileReasonTemplate', () => {
  const snapshot = featureSnapshot({
    order: { amount: 125_000_000.5, paymentMethod: 'DANA', isVpn: true },
    user: { orders1h: 7, riskStatus: 'Watchlist' },
    device: { distinctUsers24h: 3 },
  });

  it.each([
    ['{{user.orders1h}} orders in the last hour', '7 orders in the last hour'],
    ['{{ order.amount }} IDR via {{order.paymentMethod}}', '125,000,000.5 IDR via DANA'],
    ['VPN: {{order.isVpn}}, list: {{user.riskStatus}}, users: {{device.distinctUsers24h}}', 'VPN: true, list: Watchlist, users: 3'],
    ['no placeholders at all', 'no placeholders at all'],
    ['{{user.orders1h}}', '7'],
  ])('renders %s', (template, expected) => {
    expect(compileReasonTemplate(template)(snapshot)).toBe(expected);
  });

  it.each([
    ['{{user.ordrs1h}} orders', 'unknown placeholder {{user.ordrs1h}}'],
    ['{{simulation.isFraud}}', 'unknown placeholder {{simulation.isFraud}}'],
    ['{{user}}', 'unknown placeholder {{user}}'],
    ['{{user.orders1h.x}}', 'unknown placeholder {{user.orders1h.x}}'],
    ['{{user.constructor}}', 'unknown placeholder {{user.constructor}}'],
    ['{{user.orders1h} orders', 'unbalanced'],
    ['orders}}', 'unbalanced'],
  ])('rejects %s', (template, message) => {
    expect(() => compileReasonTemplate(template)).toThrow(TemplateError);
    expect(() => compileReasonTemplate(template)).toThrow(message);
  });
});

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1_000, '1,000'],
    [99_999_999, '99,999,999'],
    [100_000_000, '100,000,000'],
    [-1, '-1'],
    [-1_234_567, '-1,234,567'],
    [1_234.5, '1,234.5'],
    [0.1 + 0.2, '0.3'],
    [166_666.666_666, '166,666.67'],
    [1e21, '1,000,000,000,000,000,000,000'],
    [Number.NaN, 'NaN'],
  ])('formats %d as %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it('groups like Intl.NumberFormat en-US with two fraction digits', () => {
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
    for (const value of [12, 1_234, 45_678.25, 500_000_000, 123_456_789.1, 9_999_999_999_999]) expect(formatNumber(value)).toBe(intl.format(value));
  });
});
