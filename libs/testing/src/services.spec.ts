import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveService, SERVICE_ENV, ServiceUnavailableError } from './services.js';

describe('resolveService', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const bareMachine = { dockerReachable: () => false, workspaceRoot: undefined };

  it('takes a service from the environment first, defaulting the emulator project', async () => {
    process.env['BIGQUERY_EMULATOR_HOST'] = 'http://127.0.0.1:1';
    delete process.env['BIGQUERY_PROJECT'];
    await expect(resolveService('bigquery', bareMachine)).resolves.toEqual({
      source: 'environment',
      env: { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:1', BIGQUERY_PROJECT: 'test' },
    });
  });

  it('fails with every way to provide a missing service instead of skipping', async () => {
    delete process.env['KAFKA4_BROKERS'];
    const error = await resolveService('kafka4', bareMachine).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toMatch(/KAFKA4_BROKERS.*Docker engine.*tools\/services/s);
  });

  it('names the environment variables of every service', () => {
    expect(SERVICE_ENV).toEqual({
      postgres: ['DATABASE_URL'],
      kafka: ['KAFKA_BROKERS', 'KAFKA_VERSION'],
      kafka4: ['KAFKA4_BROKERS', 'KAFKA4_VERSION'],
      bigquery: ['BIGQUERY_EMULATOR_HOST', 'BIGQUERY_PROJECT'],
    });
  });

  it('provides only the service tools/services started, not the others its env could print', async () => {
    // A stand-in services.sh: `up` records what it started, `env` prints every service when asked for none.
    const root = mkdtempSync(join(tmpdir(), 'services-spec-'));
    mkdirSync(join(root, 'tools', 'services'), { recursive: true });
    writeFileSync(
      join(root, 'tools', 'services', 'services.sh'),
      [
        'case "$1" in',
        '  status) exit 3 ;;',
        `  up) echo "$2" >> '${root}/started' ;;`,
        '  env) case "${2:-all}" in',
        '    postgres) echo "export DATABASE_URL=\'postgres://127.0.0.1:1/x\'" ;;',
        '    all) echo "export DATABASE_URL=\'postgres://127.0.0.1:1/x\'"; echo "export BIGQUERY_EMULATOR_HOST=\'http://127.0.0.1:9050\'"; echo "export KAFKA4_BROKERS=\'127.0.0.1:29092\'" ;;',
        '  esac ;;',
        'esac',
      ].join('\n'),
    );
    delete process.env['DATABASE_URL'];
    try {
      await expect(resolveService('postgres', { dockerReachable: () => false, workspaceRoot: root })).resolves.toEqual({
        source: 'tools/services',
        env: { DATABASE_URL: 'postgres://127.0.0.1:1/x' },
      });
      expect(readFileSync(join(root, 'started'), 'utf8')).toBe('postgres\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
