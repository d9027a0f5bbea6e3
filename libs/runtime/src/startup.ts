// Start-up failures an operator can fix (a bad variable, an unreachable service) as one line naming what to fix, and exit 1.
import { ConfigError, redactUrl, type PipelineEnv } from './config.js';

/** A start-up step failed because of what a variable points at, e.g. DATABASE_URL at a server that refuses connections. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** Runs a start-up step; its failure becomes a StartupError naming `variable` and what was being done. */
export async function startupStep<T>(variable: string, doing: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new StartupError(variable, `${doing}: ${(error as Error).message}`);
  }
}

/** The one line printed for an error that escaped an app: known causes without a stack, anything else with it. */
export function describeFatalError(app: string, error: unknown): string {
  if (error instanceof ConfigError) return error.problems.map((p) => `${app}: ${p.variable}: ${p.message}`).join('\n');
  if (error instanceof StartupError) return `${app}: ${error.message}`;
  return `${app}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

/** An error no code caught ends the app with exit code 1, printed by describeFatalError. */
export function exitOnFatalError(app: string): void {
  const fail = (error: unknown) => {
    console.error(describeFatalError(app, error));
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}

/** Opens the OLTP database as a start-up step, naming the variable that chose it (DATABASE_URL, or DATA_DIR for PGlite). */
export function databaseStartupStep<T>(env: Pick<PipelineEnv, 'DATABASE_URL' | 'DATA_DIR'>, open: () => Promise<T>): Promise<T> {
  return env.DATABASE_URL
    ? startupStep('DATABASE_URL', `cannot open ${redactUrl(env.DATABASE_URL)}`, open)
    : startupStep('DATA_DIR', `cannot open the embedded database in ${env.DATA_DIR}`, open);
}
