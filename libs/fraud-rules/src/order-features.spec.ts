import { orderPlaced } from '../test/fixtures.js';
import { emailDomain, hourInTimeZone, orderFactsFromEvent, orderFeaturesFromEvent, prepareOrder } from './order-features.js';

describe('orderFeaturesFromEvent', () => {
  it('maps the event to order features with amounts parsed from decimal strings', () => {
    const event = orderPlaced({ amount: '125000000.50', unitPrice: '62500000.25', quantity: 2, country: 'SG' });
    expect(orderFeaturesFromEvent(event)).toEqual({
      orderId: event.orderId,
      amount: 125_000_000.5,
      quantity: 2,
      unitPrice: 62_500_000.25,
      paymentMethod: 'Gopay',
      country: 'SG',
      ipCountry: 'ID',
      isVpn: false,
      deviceType: 'mobile',
      hourLocal: 2,
      accountAgeDays: -1,
    });
  });

  it.each([
    ['2026-11-21T02:15:00.123+07:00', 'Asia/Jakarta', 2],
    ['2026-11-20T21:59:59.999Z', 'Asia/Jakarta', 4],
    ['2026-11-20T22:00:00Z', 'Asia/Jakarta', 5],
    ['2026-11-20T17:00:00Z', 'Asia/Jakarta', 0],
    ['2026-11-21T02:15:00+07:00', 'UTC', 19],
    ['2026-11-21T02:15:00+07:00', 'Asia/Makassar', 3],
  ])('computes hourLocal of %s in %s as %i', (placedAt, timeZone, hour) => {
    expect(orderFeaturesFromEvent(orderPlaced({ placedAt }), { timeZone }).hourLocal).toBe(hour);
  });

  it('measures account age in whole days and clamps a creation time after the order to 0', () => {
    const ageOf = (accountCreatedAt: string) =>
      orderFeaturesFromEvent(orderPlaced({ placedAt: '2026-11-21T02:15:00+07:00', customer: { email: 'a@example.com', accountCreatedAt } })).accountAgeDays;
    expect(ageOf('2026-11-14T02:15:00+07:00')).toBe(7);
    expect(ageOf('2026-11-14T02:15:00.001+07:00')).toBe(6);
    expect(ageOf('2026-11-21T02:14:00+07:00')).toBe(0);
    expect(ageOf('2026-11-22T00:00:00+07:00')).toBe(0);
  });

  it('never reads the simulation ground truth', () => {
    const honest = orderPlaced();
    const labelled = orderPlaced({ simulation: { pattern: 'card_testing', isFraud: true } });
    expect(prepareOrder(labelled)).toEqual(prepareOrder(honest));
  });

  it('rejects an unknown time zone', () => {
    expect(() => hourInTimeZone(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('gives the local hour on both sides of a half-hour offset midnight, asked twice (the second answer is cached)', () => {
    const beforeMidnight = Date.parse('2026-11-21T18:29:59.999Z');
    const atMidnight = Date.parse('2026-11-21T18:30:00.000Z');
    for (let ask = 0; ask < 2; ask++) {
      expect(hourInTimeZone(beforeMidnight, 'Asia/Kolkata')).toBe(23);
      expect(hourInTimeZone(atMidnight, 'Asia/Kolkata')).toBe(0);
      expect(hourInTimeZone(atMidnight, 'Asia/Jakarta')).toBe(1);
    }
  });
});

describe('orderFactsFromEvent', () => {
  it('keeps what the windows, the profile and the entity risk need, with a lower-cased email and an epoch timestamp', () => {
    const event = orderPlaced({ customer: { email: 'Budi.Santoso@Example.COM' } });
    expect(orderFactsFromEvent(event)).toEqual({
      orderId: event.orderId,
      userId: 'U100',
      deviceId: 'D1',
      ip: '10.1.2.3',
      email: 'budi.santoso@example.com',
      amount: 125_000_000,
      placedAtMs: Date.parse('2026-11-20T19:15:00.123Z'),
      ipCountry: 'ID',
      paymentMethod: 'Gopay',
      merchantId: 'M001',
      productId: 'P0001',
    });
  });

  it('leaves the email undefined when the event has no customer', () => {
    expect(orderFactsFromEvent(orderPlaced()).email).toBeUndefined();
  });

  it('takes the e-mail domain after the last @', () => {
    expect([emailDomain('a@b.example'), emailDomain('"x@y"@c.example'), emailDomain('no-at'), emailDomain(undefined)]).toEqual(['b.example', 'c.example', undefined, undefined]);
  });
});
