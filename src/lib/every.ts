import type { Logger } from '../log.js';

/**
 * Runs `task` every `ms` milliseconds in the background (the timer does not hold the process
 * open) and logs a failure instead of crashing; returns the function that stops it.
 */
export function every(
  ms: number,
  task: () => Promise<void>,
  log: Logger,
  what: string,
): () => void {
  const timer = setInterval(() => {
    task().catch((error: unknown) => log.error({ err: error }, `${what} failed`));
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}
