// Graceful shutdown: the first SIGTERM or SIGINT runs the stop handler once, then the process exits (0 if it stopped
// cleanly, 1 if it failed or took longer than the timeout), even when a stray handle would keep the event loop alive.
import type { Logger } from 'pino';

export interface ShutdownOptions {
  logger: Logger;
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
}

/** Long enough to finish a batch and commit it; short enough that an orchestrator's 10 s grace period is never hit. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 8_000;

/**
 * Registers `stop` to run on the first signal; `stop` resolves once the process has nothing left to do, and the
 * process then exits. Returns a function that unregisters it.
 */
export function onShutdown(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  { logger, timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS, signals = ['SIGTERM', 'SIGINT'] }: ShutdownOptions,
): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Not unref'd: a stop that never settles and holds nothing else open must still end in exit 1, not exit 0.
    setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    stop(signal).then(
      () => {
        logger.info('stopped cleanly');
        process.exit(process.exitCode ?? 0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
