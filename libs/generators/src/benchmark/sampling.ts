// The handbook's draws that faker lacks: Poisson counts, normal values, and a fractional daily rate turned into a count.
import type { Faker } from '@faker-js/faker';

/** A Poisson count by Knuth's product of uniforms; fine for the handbook's small means (0–4 a day). */
export function poisson(faker: Faker, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = faker.number.float(); product > limit; product *= faker.number.float()) count++;
  return count;
}

/** A normal draw by Box–Muller. */
export function normal(faker: Faker, mean: number, std: number): number {
  const radius = Math.sqrt(-2 * Math.log(1 - faker.number.float()));
  return mean + std * radius * Math.cos(2 * Math.PI * faker.number.float());
}

/** A seed for a seeded generator of its own, drawn from `faker`. */
export function drawSeed(faker: Faker): number {
  return faker.number.int(2 ** 31 - 1);
}

/** `rate` events in one day: its whole part, plus one more with the chance of its fraction; the handbook's whole rates come out exact. */
export function countForDay(faker: Faker, rate: number): number {
  const whole = Math.floor(rate);
  return whole + (faker.number.float() < rate - whole ? 1 : 0);
}
