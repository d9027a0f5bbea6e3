// Users are reproducible, numbered without collisions, and each run keeps to one email format.
import { EMAIL_FORMAT_PATTERNS, EMAIL_FORMATS, generateUsers, type EmailFormat } from './users.js';

describe('generateUsers', () => {
  it('is reproducible under a seed and differs across seeds', () => {
    expect(generateUsers({ seed: 42, count: 50 })).toEqual(generateUsers({ seed: 42, count: 50 }));
    expect(generateUsers({ seed: 42, count: 50 }).users).not.toEqual(generateUsers({ seed: 43, count: 50 }).users);
  });

  it('uses every email format across runs, and each run only its own', () => {
    const seen = new Set<EmailFormat>();
    for (let seed = 1; seed <= 30; seed++) {
      for (const locale of ['id_ID', 'en'] as const) {
        const { emailFormat, users } = generateUsers({ seed, count: 40, locale });
        seen.add(emailFormat);
        for (const user of users) {
          expect(user.email).toMatch(EMAIL_FORMAT_PATTERNS[emailFormat]);
          for (const other of EMAIL_FORMATS.filter((format) => format !== emailFormat)) {
            expect(user.email).not.toMatch(EMAIL_FORMAT_PATTERNS[other]);
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...EMAIL_FORMATS].sort());
  });

  it('builds addresses from the names, lower-cased and ASCII-only', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { emailFormat, users } = generateUsers({ seed, count: 20, locale: 'en' });
      for (const { email, firstName, lastName } of users) {
        const first = firstName.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
        const last = lastName.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
        const expectedStart = { 'first.last': `${first}.${last}@`, 'first.N': `${first}.`, last_f: `${last}_${first[0]}@` }[emailFormat];
        expect(email.startsWith(expectedStart)).toBe(true);
      }
    }
  });

  it('numbers ids from startIndex so consecutive runs never collide', () => {
    const first = generateUsers({ seed: 1, count: 5, startIndex: 1 }).users.map((user) => user.userId);
    const second = generateUsers({ seed: 2, count: 5, startIndex: 6 }).users.map((user) => user.userId);
    expect(first).toEqual(['U000001', 'U000002', 'U000003', 'U000004', 'U000005']);
    expect(second).toEqual(['U000006', 'U000007', 'U000008', 'U000009', 'U000010']);
    expect(generateUsers({ seed: 1, count: 900, startIndex: 100, idDigits: 3 }).users.map((user) => user.userId).at(-1)).toBe('U999');
  });

  it('fills every column, mostly Indonesian for the id_ID locale', () => {
    const asOf = new Date('2026-06-01T00:00:00Z');
    const { users } = generateUsers({ seed: 3, count: 1000, asOf, maxAccountAgeDays: 365 });
    for (const user of users) {
      expect(user.phone).toMatch(/^\+62\d+$/);
      expect(user.createdAt.getTime()).toBeLessThanOrEqual(asOf.getTime());
      expect(user.createdAt.getTime()).toBeGreaterThanOrEqual(asOf.getTime() - 365 * 86_400_000);
    }
    expect(users.filter((user) => user.country === 'ID').length).toBeGreaterThan(900);
    expect(new Set(users.map((user) => user.defaultPayment)).size).toBe(6);
  });

  it('stamps brand-new sign-ups at asOf when maxAccountAgeDays is 0', () => {
    const asOf = new Date('2026-06-01T10:00:00Z');
    expect(generateUsers({ seed: 4, asOf, maxAccountAgeDays: 0 }).users.every((user) => user.createdAt.getTime() === asOf.getTime())).toBe(true);
  });
});
