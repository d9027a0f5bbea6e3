import { integerFlag, numberFlag } from './cli.js';

describe('command-line number flags', () => {
  it('takes whole numbers in range, zero included for a seed', () => {
    const seed = integerFlag('--seed');
    expect([seed('0'), seed('42'), seed(' 7 ')]).toEqual([0, 42, 7]);
  });

  it.each(['abc', '', '1.5', '1e3', '-1', '0x10', '9007199254740993'])('refuses --seed %j, naming the flag', (value) => {
    expect(() => integerFlag('--seed')(value)).toThrow(/^--seed must be a whole number from 0 up, got/);
  });

  it('holds a flag to its bounds', () => {
    const workers = integerFlag('--workers', { min: 1, max: 64 });
    expect(() => workers('0')).toThrow('--workers must be a whole number from 1 to 64, got "0"');
    expect(workers('64')).toBe(64);
  });

  it('takes fractional numbers of at least the minimum', () => {
    const rate = numberFlag('--rate');
    expect([rate('0'), rate('0.5'), rate('2000')]).toEqual([0, 0.5, 2000]);
    for (const bad of ['NaN', 'Infinity', '-1', 'fast', ' ']) expect(() => rate(bad)).toThrow(/^--rate must be a number of at least 0/);
  });
});
