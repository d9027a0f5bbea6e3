import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertUsers, loadCatalog } from './catalog.js';
import { DatabaseOpenError, migrateToLatest, openDatabase } from './connect.js';

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
});
