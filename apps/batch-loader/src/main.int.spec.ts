import { createTestDatabase, findWorkspaceRoot, type TestDatabase } from '@fraudline/testing';
import { spawnSync } from 'node:child_process';

const root = findWorkspaceRoot()!;

describe('batch-loader CLI on a real Postgres', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--conditions=@fraudline/source', '--import', 'tsx', 'apps/batch-loader/src/main.ts', ...args], {
      cwd: root,
      env,
      encoding: 'utf8',
    });

  beforeAll(async () => {
    database = await createTestDatabase('batch_loader_cli');
    env = { ...process.env, DATABASE_URL: database.url, WAREHOUSE: 'postgres', KAFKA_BROKERS: '', LOG_LEVEL: 'warn' };
  });
  afterAll(() => database?.drop());

  it('documents every command in --help', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    for (const command of ['run', 'backfill', 'status', 'worker', 'docs']) expect(help.stdout).toContain(command);
    expect(cli('backfill', '--help').stdout).toContain('--from <YYYY-MM-DD>');
  });

  it('runs the users job, backfills three days, and prints the ledger', () => {
    const users = cli('run', 'users', '--seed', '4');
    expect(users.status).toBe(0);
    expect(JSON.parse(users.stdout)).toMatchObject({ job: 'users', detail: { generated: 10, inserted: 10 } });

    const backfill = cli('backfill', '--from', '2026-11-01', '--to', '2026-11-03');
    expect(backfill.stderr + backfill.stdout).toContain('loaded 21 partitions');
    expect(backfill.status).toBe(0);

    const status = cli('status', '--from', '2026-11-01', '--to', '2026-11-03');
    expect(status.status).toBe(0);
    const succeededRows = status.stdout.split('\n').filter((line) => line.includes("'succeeded'"));
    expect(succeededRows).toHaveLength(21);
    for (const day of ['2026-11-01', '2026-11-02', '2026-11-03']) expect(succeededRows.filter((line) => line.includes(day))).toHaveLength(7);
  }, 120_000);

  it('rejects a bad date, an unknown job and a reversed range with a clear message and a non-zero exit', () => {
    const badDate = cli('run', 'load', '--date', '2026-02-30');
    expect(badDate.status).not.toBe(0);
    expect(badDate.stderr).toContain("invalid logical date '2026-02-30'");
    const unknown = cli('run', 'nosuchjob');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('unknown job "nosuchjob"; choose one of: users, products, load');
    const reversed = cli('backfill', '--from', '2026-11-05', '--to', '2026-11-01');
    expect(reversed.status).not.toBe(0);
    expect(reversed.stderr).toContain('--from 2026-11-05 is after --to 2026-11-01');
  });

  it('stops at start-up on a bad configuration, naming the variable', () => {
    const result = spawnSync(process.execPath, ['--conditions=@fraudline/source', '--import', 'tsx', 'apps/batch-loader/src/main.ts', 'status'], {
      cwd: root,
      env: { ...env, BUSINESS_TZ: 'Mars/Olympus' },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('BUSINESS_TZ: must be an IANA time zone');
  });
});
