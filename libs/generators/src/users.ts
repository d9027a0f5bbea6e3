// Customer rows for the catalog, like seed A's hourly user job: one email format per run, ids that never collide across runs.
import type { Faker } from '@faker-js/faker';
import { PAYMENT_METHODS, type PaymentMethod } from './contract.js';
import { seededFaker, sequenceId, type CatalogLocale } from './random.js';
import { DAY_MS, DEFAULT_CATALOG_DATE } from './time.js';

export const EMAIL_FORMATS = ['first.last', 'first.N', 'last_f'] as const;
export type EmailFormat = (typeof EMAIL_FORMATS)[number];

const EMAIL_DOMAIN = String.raw`@[a-z0-9-]+(\.[a-z0-9-]+)+$`;

/** What each format's addresses look like; a run's addresses all match the pattern of the format it chose. */
export const EMAIL_FORMAT_PATTERNS: Readonly<Record<EmailFormat, RegExp>> = {
  'first.last': new RegExp(String.raw`^[a-z]+\.[a-z]+${EMAIL_DOMAIN}`),
  'first.N': new RegExp(String.raw`^[a-z]+\.[1-9]${EMAIL_DOMAIN}`),
  last_f: new RegExp(String.raw`^[a-z]+_[a-z]${EMAIL_DOMAIN}`),
};

export interface UserRow {
  userId: string;
  firstName: string;
  lastName: string;
  email: string;
  defaultPayment: PaymentMethod;
  phone: string;
  /** Billing country, ISO 3166-1 alpha-2. */
  country: string;
  createdAt: Date;
}

export interface GenerateUsersOptions {
  seed: number;
  count?: number;
  locale?: CatalogLocale;
  /** Sequence number of the first id; pass the next unused one so runs never collide. */
  startIndex?: number;
  /** Digits the sequence is zero-padded to: 6 gives `U000001`, 3 gives seed A's `U100`. */
  idDigits?: number;
  /** The run's clock; accounts are created up to `maxAccountAgeDays` before it. */
  asOf?: Date;
  /** 0 stamps every account at `asOf`, as a job creating brand-new sign-ups would. */
  maxAccountAgeDays?: number;
}

export interface GeneratedUsers {
  emailFormat: EmailFormat;
  users: UserRow[];
}

const EMAIL_DOMAINS: Readonly<Record<CatalogLocale, readonly string[]>> = {
  id_ID: ['gmail.com', 'yahoo.co.id', 'yahoo.com', 'outlook.com', 'ymail.com'],
  en: ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com'],
};

const HOME_COUNTRIES: Readonly<Record<CatalogLocale, readonly { weight: number; value: string }[]>> = {
  id_ID: [
    { weight: 94, value: 'ID' },
    { weight: 3, value: 'SG' },
    { weight: 2, value: 'MY' },
    { weight: 1, value: 'US' },
  ],
  en: [
    { weight: 50, value: 'US' },
    { weight: 20, value: 'GB' },
    { weight: 15, value: 'AU' },
    { weight: 15, value: 'SG' },
  ],
};

/** E-wallets and bank transfer dominate Indonesian checkouts; cards and paylater trail. */
const PAYMENT_POPULARITY: Readonly<Record<PaymentMethod, number>> = {
  'Bank Transfer': 3,
  Paylater: 1,
  'Credit Card': 2,
  Gopay: 3,
  OVO: 2,
  DANA: 2,
};

export function generateUsers(options: GenerateUsersOptions): GeneratedUsers {
  const { seed, count = 10, locale = 'id_ID', startIndex = 1, idDigits = 6, asOf = DEFAULT_CATALOG_DATE, maxAccountAgeDays = 730 } = options;
  const faker = seededFaker(seed, locale);
  const emailFormat = faker.helpers.arrayElement(EMAIL_FORMATS);
  const users = Array.from({ length: count }, (_, offset): UserRow => {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    return {
      userId: sequenceId('U', startIndex + offset, idDigits),
      firstName,
      lastName,
      email: `${emailLocalPart(faker, emailFormat, firstName, lastName)}@${faker.helpers.arrayElement(EMAIL_DOMAINS[locale])}`,
      defaultPayment: faker.helpers.weightedArrayElement(PAYMENT_METHODS.map((value) => ({ weight: PAYMENT_POPULARITY[value], value }))),
      phone: faker.phone.number({ style: 'international' }),
      country: faker.helpers.weightedArrayElement(HOME_COUNTRIES[locale]),
      createdAt: new Date(asOf.getTime() - faker.number.int({ min: 0, max: maxAccountAgeDays * DAY_MS })),
    };
  });
  return { emailFormat, users };
}

function emailLocalPart(faker: Faker, format: EmailFormat, firstName: string, lastName: string): string {
  const first = asciiLetters(firstName);
  const last = asciiLetters(lastName);
  switch (format) {
    case 'first.last':
      return `${first}.${last}`;
    case 'first.N':
      return `${first}.${faker.number.int({ min: 1, max: 9 })}`;
    case 'last_f':
      return `${last}_${first.charAt(0)}`;
  }
}

/** Lower-case a–z only: accents are folded (é → e) and spaces, hyphens and apostrophes dropped. */
function asciiLetters(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase() || 'user';
}
