import { spawn } from 'node:child_process';
import { join } from 'node:path';

const shutdownModule = join(__dirname, 'shutdown.ts');

/** Runs a process that registers `stopBody` as its stop handler and keeps a handle open, sends SIGTERM, and times the exit. */
async function terminate(stopBody: string, timeoutMs: number): Promise<{ code: number | null; ms: number; output: string }> {
  const script = `
    import { onShutdown } from ${JSON.stringify(shutdownModule)};
    import { pino } from 'pino';
    const stray = setInterval(() => undefined, 1000); // a stray handle, as a client left connected after a broker restart keeps one
    onShutdown(async () => { ${stopBody} }, { logger: pino(), timeoutMs: ${timeoutMs} });
    console.log('ready');`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('ready')) resolve();
    }),
  );
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  await ready;
  const started = Date.now();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await exited;
  return { code, ms: Date.now() - started, output };
}

describe('onShutdown in a real process', () => {
  it('exits 0 once the stop handler resolves, although a handle would keep the event loop alive', async () => {
    const { code, ms, output } = await terminate('await new Promise((r) => setTimeout(r, 100));', 5000);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(4000);
    expect(output).toContain('stopped cleanly');
  }, 20_000);

  it('exits 1 when the stop handler fails', async () => {
    const { code, output } = await terminate("throw new Error('disconnect failed');", 5000);
    expect(code).toBe(1);
    expect(output).toContain('shutdown failed');
  }, 20_000);

  it.each([
    ['hangs', 'await new Promise(() => undefined);'],
    // Without the timer keeping it alive, the process would exit 0 at once, as if it had stopped cleanly.
    ['never settles and nothing else keeps the process alive', 'clearInterval(stray); await new Promise(() => undefined);'],
  ])(
    'exits 1 within its timeout when the stop handler %s',
    async (_, stopBody) => {
      const { code, ms, output } = await terminate(stopBody, 1500);
      expect(code).toBe(1);
      expect(ms).toBeGreaterThanOrEqual(1400);
      expect(ms).toBeLessThan(6000);
      expect(output).toContain('shutdown timed out');
    },
    20_000,
  );
});
