import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertUsers, loadCatalog } from './catalog.js';
import { DatabaseOpenError, migrateToLatest, openDatabase } from './connect.js';
import { DataDirLockedError } from './data-dir-lock.js';

describe('embedded PGlite database', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fraudline-pglite-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps rows on disk across a close and reopen', async () => {
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await migrateToLatest(first.db);
    await insertUsers(first.db, [
      { user_id: 'U100', first_name: 'Ayu', last_name: 'Lestari', email: 'lestari_a@example.id', default_payment: 'DANA', phone: null, country: 'ID' },
    ]);
    await first.close();

    const second = await openDatabase({ kind: 'pglite', dataDir });
    await migrateToLatest(second.db);
    expect((await loadCatalog(second.db)).users.map((user) => user.email)).toEqual(['lestari_a@example.id']);
    await second.close();
  });

  it('names the data directory and suggests --fresh when it is corrupt', async () => {
    await writeFile(join(dataDir, 'PG_VERSION'), 'not a version');
    const error = await openDatabase({ kind: 'pglite', dataDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as Error).message).toContain(dataDir);
    expect((error as Error).message).toContain('--fresh');
  });

  it('refuses a second opener of the directory with the holder, and takes the lock over once the holder has died', async () => {
    // The holder is a process of its own, as a subscriber and a batch-loader on one DATA_DIR would be.
    const script = `
      import { openDatabase } from ${JSON.stringify(join(__dirname, 'connect.ts'))};
      await openDatabase({ kind: 'pglite', dataDir: ${JSON.stringify(dataDir)} });
      console.log('open');
      setInterval(() => undefined, 1000);`;
    const holder = spawn(process.execPath, ['--conditions=@fraudline/source', '--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve) => holder.stdout.on('data', (chunk: Buffer) => chunk.includes('open') && resolve()));
      const error = await openDatabase({ kind: 'pglite', dataDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect((error as Error).message).toContain(`the embedded database in ${dataDir} is in use by process ${holder.pid}`);
    } finally {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await exited;
    }
    const after = await openDatabase({ kind: 'pglite', dataDir });
    await migrateToLatest(after.db);
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(`in use by process ${process.pid}`);
    await after.close();
    const again = await openDatabase({ kind: 'pglite', dataDir });
    await again.close();
  }, 60_000);
});
