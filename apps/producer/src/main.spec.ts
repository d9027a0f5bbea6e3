import { findWorkspaceRoot } from '@fraudline/testing';
import { spawnSync } from 'node:child_process';

const root = findWorkspaceRoot()!;
const producer = (...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=@fraudline/source', '--import', 'tsx', 'apps/producer/src/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: '/nonexistent' },
  });

describe('producer CLI', () => {
  it('documents every option in --help', () => {
    const result = producer('--help');
    expect(result.status).toBe(0);
    for (const option of ['--rate', '--count', '--duration', '--topic', '--seed', '--profile', '--legacy-amounts']) expect(result.stdout).toContain(option);
  });

  it('rejects a bad flag value with a message naming the flag', () => {
    const result = producer('--rate', 'fast');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--rate must be a number of at least 0, got "fast"');
    const seed = producer('--seed', 'abc');
    expect(seed.status).not.toBe(0);
    expect(seed.stderr).toContain('--seed must be a whole number from 0 up, got "abc"');
  });

  it('prints its version', () => {
    const result = producer('--version');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('names DATABASE_URL in one line, without a stack, when the database is unreachable', () => {
    const result = spawnSync(process.execPath, ['--conditions=@fraudline/source', '--import', 'tsx', 'apps/producer/src/main.ts', '--count', '1'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: 'postgres://fraudline:secret@127.0.0.1:1/nowhere', LOG_LEVEL: 'silent' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^producer: DATABASE_URL: cannot open postgres:\/\/fraudline:\*\*\*@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/)]);
    expect(result.stderr).not.toContain('secret');
  });

  it('rejects an unknown profile', () => {
    const result = producer('--profile', 'chaos');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--profile.*chaos.*realistic, seed-a/s);
  });
});
