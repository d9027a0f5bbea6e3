import { createTestDatabase, findWorkspaceRoot, type TestDatabase } from '@fraudline/testing';
import { RAW_TABLE_NAMES } from '@fraudline/warehouse';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    for (const command of ['migrate', 'import-outcomes', 'run', 'train-model', 'backfill', 'status', 'worker', 'docs']) expect(help.stdout).toContain(command);
    expect(cli('backfill', '--help').stdout).toContain('--from <YYYY-MM-DD>');
    expect(cli('train-model', '--help').stdout).toContain('--activate');
  });

  it('refuses to run a job on an unmigrated database, naming the command to run, until migrate has run', () => {
    const refused = cli('run', 'users', '--seed', '4');
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^batch-loader: DATABASE_URL: cannot open .*: the database schema is empty and this release needs \S+; run the migrations first: npm run migrate/);
    const check = cli('migrate', '--check');
    expect(check.status).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ version: null, unknown: [] });

    const migrate = cli('migrate');
    expect(migrate.status).toBe(0);
    const migrated = JSON.parse(migrate.stdout) as { version: string; pending: string[] };
    expect(migrated.pending).toEqual([]);
    expect(JSON.parse(check.stdout).pending.at(-1)).toBe(migrated.version);
    expect(cli('migrate', '--check').status).toBe(0);
  }, 60_000);

  it('runs the users job, backfills three days, and prints the ledger', () => {
    const users = cli('run', 'users', '--seed', '4');
    expect(users.status).toBe(0);
    expect(JSON.parse(users.stdout)).toMatchObject({ job: 'users', detail: { generated: 10, inserted: 10 } });

    const backfill = cli('backfill', '--from', '2026-11-01', '--to', '2026-11-03');
    // One partition per raw table and day.
    const days = ['2026-11-01', '2026-11-02', '2026-11-03'];
    expect(backfill.stderr + backfill.stdout).toContain(`loaded ${days.length * RAW_TABLE_NAMES.length} partitions`);
    expect(backfill.status).toBe(0);

    const status = cli('status', '--from', '2026-11-01', '--to', '2026-11-03');
    expect(status.status).toBe(0);
    const succeededRows = status.stdout.split('\n').filter((line) => line.includes("'succeeded'"));
    expect(succeededRows).toHaveLength(days.length * RAW_TABLE_NAMES.length);
    for (const day of days) expect(succeededRows.filter((line) => line.includes(day))).toHaveLength(RAW_TABLE_NAMES.length);
  }, 120_000);

  it('imports outcomes from a CSV, printing each refused row with its line and reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outcomes-'));
    const file = join(dir, 'verdicts.csv');
    await writeFile(file, 'outcome_id,order_id,kind,occurred_at,known_at,verdict,analyst\nv1,019a8f5e-7c3b-7d2a-9f1e-3b4c5d6e7f80,analyst_verdict,2026-11-25T10:00:00Z,2026-11-25T10:00:00Z,fraud,ayu\n');
    try {
      const result = cli('import-outcomes', file);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`${file}:2: unknown_reference: orderId: no order "019a8f5e-7c3b-7d2a-9f1e-3b4c5d6e7f80" is stored`);
      expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toEqual({ recorded: 0, unchanged: 0, rejected: 1 });
      const header = cli('import-outcomes', (await writeFile(file, 'outcome,order_id\n'), file));
      expect(header.status).toBe(1);
      expect(header.stderr).toContain('verdicts.csv: unknown column(s) outcome');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

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
    const training = cli('train-model', '--from', '2026-11-05', '--to', '2026-11-01');
    expect(training.status).not.toBe(0);
    expect(training.stderr).toContain('--to 2026-11-01 is before --from 2026-11-05');
    const truth = cli('train-model', '--from', '2026-11-01', '--to', '2026-11-05', '--truth', 'guess');
    expect(truth.status).not.toBe(0);
    expect(truth.stderr).toContain("option '--truth <truth>' argument 'guess' is invalid");
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
