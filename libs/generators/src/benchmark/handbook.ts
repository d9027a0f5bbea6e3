// The handbook's transactions and its three fraud scenarios: amounts above a threshold, compromised merchants, compromised customers.
import type { Faker } from '@faker-js/faker';
import type { TimedOrder } from '../order-profile.js';
import { DAY_MS } from '../time.js';
import { buildOrder, deviceKit, label, multiplied } from './benchmark-order.js';
import { countForDay, normal, poisson } from './sampling.js';
import { drawAmount, IDR_PER_HANDBOOK_UNIT, lineNear, usualPayment, type Customer, type Merchant, type World } from './world.js';

/** Scenario 1: every order above this many rupiah (the handbook's 220) is fraud. */
export const HIGH_AMOUNT_THRESHOLD_IDR = 220 * IDR_PER_HANDBOOK_UNIT;
/** Scenario 2: every order of a compromised merchant from the day it is compromised and this many days on is fraud. */
const COMPROMISED_MERCHANT_DAYS = 28;
/** Scenario 3: a third of a day's compromised customers' orders over this many days become fraud... */
const COMPROMISED_CUSTOMER_DAYS = 14;
/** ...with this many times the units, so this many times the amount. */
export const COMPROMISED_CUSTOMER_AMOUNT_FACTOR = 5;

/** The handbook's order time: N(86,400 / 2, 20,000) seconds after midnight; a draw outside the day is dropped. */
const ORDER_TIME_MEAN_MS = DAY_MS / 2;
const ORDER_TIME_STD_MS = 20_000_000;

/** `days` whole days of 24 hours from `start` (epoch ms). */
export interface Period {
  start: number;
  days: number;
}

export const dayStart = (period: Period, day: number) => period.start + day * DAY_MS;

/** A handbook transaction: the event, and who bought where, which the scenarios select by. */
export interface HandbookOrder extends TimedOrder {
  customer: Customer;
  merchant: Merchant;
}

/** A merchant or customer compromised over [from, to), to is exclusive; `id` is its merchantId or userId. */
export interface Compromise {
  id: string;
  from: Date;
  to: Date;
}

/** Per customer and day, Poisson(mean) orders around noon, each from a reachable merchant for an amount around the customer's mean. */
export function handbookOrders(faker: Faker, world: World, period: Period): HandbookOrder[] {
  const kit = deviceKit(faker);
  const orders: HandbookOrder[] = [];
  for (const customer of world.customers) {
    const { shopper, profile } = customer;
    for (let day = 0; day < period.days; day++) {
      for (let count = poisson(faker, profile.meanOrdersPerDay); count > 0; count--) {
        const offset = Math.round(normal(faker, ORDER_TIME_MEAN_MS, ORDER_TIME_STD_MS));
        if (offset < 0 || offset >= DAY_MS) continue;
        const merchant = faker.helpers.arrayElement(customer.merchants);
        const { at, event } = buildOrder(faker, {
          at: dayStart(period, day) + offset,
          user: shopper.user,
          merchant: merchant.row,
          line: lineNear(merchant, drawAmount(faker, profile)),
          paymentMethod: usualPayment(faker, profile),
          device: kit.homeDevice(shopper),
          pattern: 'none',
        });
        orders.push({ at, event, customer, merchant });
      }
    }
  }
  return orders;
}

/** Scenario 1, on the amounts as drawn; the later scenarios relabel what they take over, as the handbook's do. */
export function labelHighAmounts(orders: readonly HandbookOrder[]): void {
  for (const order of orders) {
    if (Number(order.event.amount) > HIGH_AMOUNT_THRESHOLD_IDR) order.event.simulation = label('high_amount');
  }
}

/** Scenario 2: each day about `perDay` random merchants are compromised; all their orders that day and the next 27 are fraud. */
export function compromiseMerchants(faker: Faker, orders: readonly HandbookOrder[], world: World, period: Period, perDay: number): Compromise[] {
  const byMerchant = groupBy(orders, (order) => order.merchant);
  return dailyCompromises(faker, period, {
    candidates: world.merchants,
    perDay,
    days: COMPROMISED_MERCHANT_DAYS,
    idOf: (merchant) => merchant.row.merchantId,
    compromise(merchants, from, to) {
      for (const order of merchants.flatMap((merchant) => byMerchant.get(merchant) ?? [])) {
        if (order.at >= from && order.at < to) order.event.simulation = label('compromised_merchant');
      }
    },
  });
}

/**
 * Scenario 3: each day about `perDay` random customers are compromised; of their orders that day and the next 13, a
 * third (rounded down, drawn at random) become fraud at five times the amount. Orders already taken by an earlier
 * compromise are left as they are, so no amount is multiplied twice.
 */
export function compromiseCustomers(faker: Faker, orders: readonly HandbookOrder[], world: World, period: Period, perDay: number): Compromise[] {
  const byCustomer = groupBy(orders, (order) => order.customer);
  return dailyCompromises(faker, period, {
    candidates: world.customers,
    perDay,
    days: COMPROMISED_CUSTOMER_DAYS,
    idOf: (customer) => customer.profile.userId,
    compromise(customers, from, to) {
      const exposed = customers.flatMap((customer) =>
        (byCustomer.get(customer) ?? []).filter((order) => order.at >= from && order.at < to && order.event.simulation.pattern !== 'compromised_customer'),
      );
      for (const order of faker.helpers.arrayElements(exposed, Math.floor(exposed.length / 3))) {
        order.event = multiplied(order.event, COMPROMISED_CUSTOMER_AMOUNT_FACTOR, 'compromised_customer');
      }
    },
  });
}

interface DailyCompromise<T> {
  candidates: readonly T[];
  perDay: number;
  /** How long each compromise lasts, from the start of its day. */
  days: number;
  idOf(candidate: T): string;
  /** Applies one day's compromises over [from, to). */
  compromise(chosen: T[], from: number, to: number): void;
}

/** Each day, about `perDay` distinct candidates drawn at random and compromised for `days` from that day's start. */
function dailyCompromises<T>(faker: Faker, period: Period, { candidates, perDay, days, idOf, compromise }: DailyCompromise<T>): Compromise[] {
  const compromises: Compromise[] = [];
  for (let day = 0; day < period.days; day++) {
    const from = dayStart(period, day);
    const to = dayStart(period, day + days);
    const chosen = faker.helpers.arrayElements(candidates, Math.min(countForDay(faker, perDay), candidates.length));
    for (const candidate of chosen) compromises.push({ id: idOf(candidate), from: new Date(from), to: new Date(to) });
    compromise(chosen, from, to);
  }
  return compromises;
}

function groupBy<K>(orders: readonly HandbookOrder[], keyOf: (order: HandbookOrder) => K): Map<K, HandbookOrder[]> {
  const groups = new Map<K, HandbookOrder[]>();
  for (const order of orders) {
    const group = groups.get(keyOf(order));
    if (group) group.push(order);
    else groups.set(keyOf(order), [order]);
  }
  return groups;
}
