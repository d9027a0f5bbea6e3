// What every app's command line shares: numeric flags refused the same way, naming the flag, and the app's version.
import { InvalidArgumentError } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A whole-number flag within [min, max]: `--seed abc`, `--seed 1.5` and `--workers 0` are refused with the flag's name. */
export function integerFlag(flag: string, { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}) {
  return (value: string): number => {
    const parsed = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${flag} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got "${value}"`);
    }
    return parsed;
  };
}

/** A finite number flag of at least `min` (`--rate 0.5`); anything else is refused with the flag's name. */
export function numberFlag(flag: string, { min = 0 }: { min?: number } = {}) {
  return (value: string): number => {
    const parsed = value.trim() === '' ? NaN : Number(value);
    if (!Number.isFinite(parsed) || parsed < min) throw new InvalidArgumentError(`${flag} must be a number of at least ${min}, got "${value}"`);
    return parsed;
  };
}

/** The version in the package.json nearest above a module (an app's own, from its sources or its build). */
export function packageVersion(moduleUrl: string): string {
  for (let dir = dirname(fileURLToPath(moduleUrl)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '0.0.0';
    if (dirname(dir) === dir) return '0.0.0';
  }
}
