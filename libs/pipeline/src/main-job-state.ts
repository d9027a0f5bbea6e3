// The main job's resume point, kept in the data directory: which run it is and how far it got, so Ctrl-C loses nothing.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface MainJobState {
  /** Runs started so far; each run produces a new set of orders with seed + run. */
  run: number;
  /** Orders of the current run already published; a resumed run publishes only the rest. */
  produced: number;
  /** The current run finished every stage; the next start begins a new run. */
  completed: boolean;
}

export async function readState(path: string): Promise<MainJobState> {
  if (!existsSync(path)) return { run: 0, produced: 0, completed: true };
  try {
    return JSON.parse(await readFile(path, 'utf8')) as MainJobState;
  } catch (error) {
    throw new Error(`${path} is unreadable (${(error as Error).message}); start over with --fresh`);
  }
}

export async function writeState(path: string, state: MainJobState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(state));
  await rename(`${path}.tmp`, path);
}
