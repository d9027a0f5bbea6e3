// The image's HEALTHCHECK: an app with an ops server (the subscriber) is healthy while its /healthz answers; the others serve nothing, so they are healthy while they run.
// Which app runs is read from the container's processes, not from PORT: `.env.example` sets PORT for every service.
import { loadPipelineEnv } from '@fraudline/runtime';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appsWithOpsServer = [resolve(root, 'apps/subscriber/dist/main.js')];

/** True when a process runs one of `entryPoints` (an argument that, resolved against the process's directory, names it). */
function running(entryPoints) {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1);
      if (args.some((arg) => arg && entryPoints.includes(resolve(cwd, arg)))) return true;
    } catch {
      // The process ended, or is not ours to read: not the app.
    }
  }
  return false;
}

if (!running(appsWithOpsServer)) process.exit(0);
const { PORT, OPS_HOST } = loadPipelineEnv();
const host = OPS_HOST === '0.0.0.0' || OPS_HOST === '::' ? '127.0.0.1' : OPS_HOST.includes(':') ? `[${OPS_HOST}]` : OPS_HOST;
const url = `http://${host}:${PORT}/healthz`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
} catch (error) {
  console.error(`unhealthy: ${url}: ${error.cause?.code ?? error.message}`);
  process.exit(1);
}
