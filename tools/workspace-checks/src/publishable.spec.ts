import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from './workspace.js';

const root = findWorkspaceRoot();
const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('publishable libraries', () => {
  it('every library has a scoped name, exports with types, and no workspace-only import paths', () => {
    const libs = readdirSync(join(root, 'libs'));
    expect(libs.length).toBeGreaterThanOrEqual(10);
    for (const lib of libs) {
      const manifest = JSON.parse(readFileSync(join(root, 'libs', lib, 'package.json'), 'utf8'));
      expect(manifest.name).toBe(`@fraudline/${lib}`);
      expect(manifest.exports['.']).toMatchObject({ types: './dist/index.d.ts', import: './dist/index.js' });
      const files = readdirSync(join(root, 'libs', lib, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
      const workspaceOnly = files.filter((file) => /from '(\.\.\/)+(libs|apps)\//.test(readFileSync(join(root, 'libs', lib, 'src', file), 'utf8')));
      expect({ lib, workspaceOnly }).toEqual({ lib, workspaceOnly: [] });
    }
  });

  it('packs @fraudline/events, installs it into a project outside the workspace, and imports it', () => {
    run('npx', ['tsc', '--build', 'libs/events/tsconfig.lib.json'], root);
    const scratch = mkdtempSync(join(tmpdir(), 'fraudline-pack-'));
    try {
      const tarball = run('npm', ['pack', join(root, 'libs/events'), '--pack-destination', scratch, '--silent'], scratch)
        .trim()
        .split('\n')
        .pop()!;
      writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
      run('npm', ['install', '--no-audit', '--no-fund', join(scratch, tarball)], scratch);
      const script =
        'import { decodeOrderPlaced, ORDERS_TOPIC } from \'@fraudline/events\'; const r = decodeOrderPlaced(\'{"type":"OrderPlaced","version":7}\'); console.log(`${ORDERS_TOPIC} ${r.ok} ${r.error.kind}`);';
      expect(run('node', ['--input-type=module', '-e', script], scratch).trim()).toBe('orders false unknown_version');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 180_000);
});
