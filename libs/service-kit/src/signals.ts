import type { Logger } from 'pino';

/** How long a stop may take before the process gives up on it. */
const STOP_TIMEOUT_MS = 20_000;

/** Runs `stop` once on SIGTERM/SIGINT, then exits 0; a second signal, or a stop that hangs, exits 1 at once. */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: STOP_TIMEOUT_MS }, 'shutdown did not finish in time');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      });
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
