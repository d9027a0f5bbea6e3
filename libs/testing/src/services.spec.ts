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
});
