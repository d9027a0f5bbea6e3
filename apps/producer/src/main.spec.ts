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
    expect(result.stderr).toContain('--rate must be a positive number, got "fast"');
  });

  it('rejects an unknown profile', () => {
    const result = producer('--profile', 'chaos');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--profile.*chaos.*realistic, seed-a/s);
  });
});
