/** A stream of requests at a fixed rate: request i is due at startMs + i × 1000 / ratePerS. */
export type PacedStream = {
  name: string;
  ratePerS: number;
  /** On the performance.now() clock. */
  startMs: number;
  endMs: number;
  /** Starts request i; it must return at once, not wait for the answer. */
  fire(i: number): void;
};

export type PaceCounts = { issued: number; late: number; maxLateMs: number };

/** A start this long after its time counts as late: the load generator, not the server, fell behind. */
export const LATE_MS = 10;
const TICK_MS = 1;

/**
 * Open-loop pacing: about every millisecond, starts every request whose time has come, whether
 * or not earlier ones have answered, so a slow server meets more requests in flight rather
 * than fewer requests (closed-loop load hides a stall by waiting for it). Resolves with each
 * stream's counts once every stream has issued all of its requests.
 */
export function pace(
  streams: readonly PacedStream[],
  now: () => number = () => performance.now(),
): Promise<Map<string, PaceCounts>> {
  const state = streams.map((stream) => ({
    stream,
    total: Math.floor(((stream.endMs - stream.startMs) * stream.ratePerS) / 1000),
    counts: { issued: 0, late: 0, maxLateMs: 0 },
  }));
  return new Promise((resolve) => {
    const tick = () => {
      let pending = false;
      for (const { stream, total, counts } of state) {
        const limit = now();
        while (counts.issued < total) {
          const dueMs = stream.startMs + (counts.issued * 1000) / stream.ratePerS;
          if (dueMs > limit) break;
          const lateMs = now() - dueMs;
          if (lateMs > LATE_MS) counts.late += 1;
          if (lateMs > counts.maxLateMs) counts.maxLateMs = lateMs;
          stream.fire(counts.issued);
          counts.issued += 1;
        }
        if (counts.issued < total) pending = true;
      }
      if (pending) setTimeout(tick, TICK_MS);
      else resolve(new Map(state.map(({ stream, counts }) => [stream.name, counts])));
    };
    tick();
  });
}
