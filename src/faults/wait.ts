/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Calls `probe` every `everyMs` until it returns a value that is not undefined; rejects
 * after `timeoutMs` naming `what`. Every wait of the fault run is bounded by one of these.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; everyMs: number },
): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline)
      throw new Error(`timed out after ${options.timeoutMs / 1000} s waiting for ${what}`);
    await sleep(options.everyMs);
  }
}
