/** What one soak run does: how long, on which database, at which rates. */
export type SoakOptions = {
  database: 'sqlite' | 'postgres';
  /** The whole run under load, warm-up included. */
  durationMs: number;
  /** Load before the memory baseline and the latency figures start. */
  warmUpMs: number;
  /** The length of the two windows whose median RSS is compared (first after warm-up, last). */
  memoryWindowMs: number;
  clicksPerS: number;
  eventsPerS: number;
  /** Events per signed request: 1 sends each event on its own, as it happens. */
  eventsPerRequest: number;
  dashboardApiPerS: number;
  portalPagePerS: number;
  sampleEveryMs: number;
  /**
   * Whether the memory growth decides: not in the short profile, whose minute is still the
   * server's warm-up (SQLite's page caches and the JIT fill for a minute or two).
   */
  judgeMemory: boolean;
  profile: 'full' | 'short';
};

const MINUTE_MS = 60_000;

/**
 * `--minutes N` (default 10, 2 of them warm-up), `--short` (60 s with a 15 s warm-up, for CI),
 * `--database sqlite|postgres` (default sqlite), `--events-per-request N` (default 1: each
 * event on its own, as the marketplace sends it when it happens; up to 50 in a batch).
 */
export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const short = argv.includes('--short');
  const minutes = Number(value('minutes') ?? 10);
  if (!short && !(minutes >= 4 && minutes <= 24 * 60))
    throw new Error('--minutes must be between 4 and 1440');
  const database = value('database') ?? 'sqlite';
  if (database !== 'sqlite' && database !== 'postgres')
    throw new Error('--database must be sqlite or postgres');
  const eventsPerRequest = Number(value('events-per-request') ?? 1);
  if (!(Number.isInteger(eventsPerRequest) && eventsPerRequest >= 1 && eventsPerRequest <= 50))
    throw new Error('--events-per-request must be 1 to 50');
  const durationMs = short ? MINUTE_MS : minutes * MINUTE_MS;
  // The server's RSS rises for a minute or two under this load (SQLite's page caches, the
  // JIT, the unique-visitor window) before it levels off.
  const warmUpMs = short ? 15_000 : 2 * MINUTE_MS;
  return {
    database,
    durationMs,
    warmUpMs,
    // A minute each, or a third of the measured time when that is shorter (the short profile).
    memoryWindowMs: Math.min(MINUTE_MS, (durationMs - warmUpMs) / 3),
    clicksPerS: 1000,
    eventsPerS: 200,
    eventsPerRequest,
    dashboardApiPerS: 2,
    portalPagePerS: 2,
    sampleEveryMs: short ? 1000 : 2000,
    judgeMemory: !short,
    profile: short ? 'short' : 'full',
  };
}
