// Finds Debian's Chromium for browser tests, installing it with apt on a machine where we are root and it is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ServiceUnavailableError } from './services.js';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string => Boolean(path));

/** Flags for headless Chromium on a closed network (no background fetches that would be refused). */
export const HEADLESS_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function requireChromium(): string {
  const found = () => CANDIDATES.find((path) => existsSync(path));
  if (!found() && process.getuid?.() === 0) {
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' });
  }
  const path = found();
  if (!path)
    throw new ServiceUnavailableError("No Chromium for browser tests: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.");
  return path;
}
