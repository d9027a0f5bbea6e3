// Graceful shutdown: the first SIGTERM or SIGINT runs the stop handlers once; a second signal or a timeout forces exit.
import type { Logger } from 'pino';

export interface ShutdownOptions {
  logger: Logger;
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
}

/** Registers `stop` to run on the first signal; returns a function that unregisters it. */
export function onShutdown(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  { logger, timeoutMs = 30_000, signals = ['SIGTERM', 'SIGINT'] }: ShutdownOptions,
): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop(signal).then(
      () => {
        clearTimeout(timer);
        logger.info('stopped cleanly');
        process.exitCode ??= 0;
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
