// One process at a time on an embedded data directory: PGlite corrupts a directory two processes open at once.
import { readFile, rm, writeFile } from 'node:fs/promises';

/** Another live process (or this one) has the embedded database open. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>.lock` (beside the directory, so the database's own files stay its own) and returns its release. A lock
 * whose holder has died (a crash, kill -9) is taken over; a live holder's is refused with its pid and command.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockPath = `${dir}.lock`;
  const me: LockHolder = { pid: process.pid, command: process.argv.slice(1).join(' '), since: new Date().toISOString() };
  for (;;) {
    try {
      await writeFile(lockPath, JSON.stringify(me), { flag: 'wx' });
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(lockPath, 'utf8')
      .then((text) => JSON.parse(text) as LockHolder)
      .catch(() => undefined);
    if (holder && isAlive(holder.pid)) {
      throw new DataDirLockedError(
        `the embedded database in ${dir} is in use by process ${holder.pid} (${holder.command || 'unknown command'}, since ${holder.since}); ` +
          'stop that process, or give this one another DATA_DIR',
      );
    }
    await rm(lockPath, { force: true });
  }
}
