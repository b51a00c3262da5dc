import os from 'node:os';
import { table } from '../lib/text-table.js';
import type { AfterStop } from './after-stop.js';
import type { EventCounts } from './event-stream.js';
import { type MemorySample, mediansBy, memoryGrowth } from './memory.js';
import type { SoakOptions } from './options.js';
import { LATE_MS, type PaceCounts } from './pacer.js';
import type { StreamStats } from './stream-stats.js';

export type SoakResult = {
  options: SoakOptions;
  streams: { stats: StreamStats; pace: PaceCounts | undefined; eventsPerRequest?: number }[];
  events: EventCounts & { byType: ReadonlyMap<string, number> };
  /** Over the measured part, in % of one core (200 % = both of two cores). */
  cpuPercent: { server: number; loadGenerator: number };
  rss: readonly MemorySample[];
  /** RssAnon, RssFile and RssShmem, sampled with the RSS: where a growth is. */
  rssParts: {
    anon: readonly MemorySample[];
    file: readonly MemorySample[];
    shmem: readonly MemorySample[];
  };
  heap: readonly MemorySample[];
  workerHeap: readonly MemorySample[];
  /** The server's last line: `stopped: answered N redirects, recorded N clicks, wrote N (N went through the spill file)`. */
  stopped: string;
  clicksAnswered: number;
  after: AfterStop;
  serverErrorLines: readonly string[];
  serverErrorLineCount: number;
};

const MAX_GROWTH_PCT = 10;
/** A stream must deliver this share of its target rate after the warm-up. */
const MIN_RATE_SHARE = 0.95;
const f = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

/** Prints the figures and returns what failed (empty: the soak passed). */
export function reportSoak(r: SoakResult): string[] {
  const o = r.options;
  const measuredS = (o.durationMs - o.warmUpMs) / 1000;
  const failures: string[] = [];
  const rows: (string | number)[][] = [
    [
      'stream',
      'target/s',
      'sent',
      'expected',
      'achieved/s',
      'errors',
      `late >${LATE_MS} ms`,
      'max late ms',
      'max in flight',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
    ],
  ];
  for (const { stats, pace, eventsPerRequest = 1 } of r.streams) {
    const achieved = (stats.measuredOk * eventsPerRequest) / measuredS;
    if (achieved < stats.targetPerS * MIN_RATE_SHARE)
      failures.push(
        `${stats.name}: ${f(achieved, 1)}/s, under ${MIN_RATE_SHARE * 100}% of ${stats.targetPerS}/s`,
      );
    if (stats.errorCount > 0) failures.push(`${stats.name}: ${f(stats.errorCount)} errors`);
    const l = stats.latency;
    rows.push([
      stats.name,
      stats.targetPerS,
      f(stats.sent),
      f(stats.ok),
      f(achieved, 1),
      f(stats.errorCount),
      f(pace?.late ?? 0),
      f(pace?.maxLateMs ?? 0, 1),
      stats.maxInFlight,
      f(l.percentile(50), 2),
      f(l.percentile(95), 2),
      f(l.percentile(99), 2),
      f(l.maxMs, 1),
    ]);
  }
  console.log(`\n${table(rows)}`);
  console.log(
    `(sent and errors over the whole run; achieved rate and latency over the ${f(measuredS)} s after the warm-up, latency from the request's start to the end of its answer, expected answers only)`,
  );
  console.log(
    `CPU after the warm-up, % of one core: the server ${f(r.cpuPercent.server)} %, the load generator ${f(r.cpuPercent.loadGenerator)} %; this machine's load average at the end ${os.loadavg()[0]?.toFixed(2)} over ${os.cpus().length} cores (other work on it slows the soak)`,
  );
  for (const { stats } of r.streams) {
    const kinds = [...stats.errors].map(([kind, n]) => `${kind}: ${f(n)}`).join(', ');
    console.log(`errors, ${stats.name}: ${kinds || 'none'}`);
  }

  const types = [...r.events.byType].map(([type, n]) => `${type} ${f(n)}`).join(', ');
  console.log(
    `\nmerchant events (${o.eventsPerRequest === 1 ? 'one signed event per request' : `${o.eventsPerRequest} per signed request`}): sent ${types}; accepted ${f(r.events.accepted)}, replayed ${f(r.events.replayed)}; slots with no click old enough for an order yet: ${f(r.events.skipped)}`,
  );
  console.log(
    `database after the stop: ${f(r.after.orders)} orders, ${f(r.after.subOrders)} sub-orders`,
  );

  const endMs = o.durationMs;
  const windowS = f(o.memoryWindowMs / 1000);
  const rss = memoryGrowth(r.rss, o.warmUpMs, endMs, o.memoryWindowMs);
  if (o.judgeMemory && !(rss.growthPct <= MAX_GROWTH_PCT))
    failures.push(`RSS grew ${f(rss.growthPct, 1)} % (limit ${MAX_GROWTH_PCT} %)`);
  const limit = o.judgeMemory
    ? `limit ${MAX_GROWTH_PCT} %`
    : 'not judged: the short profile is still the warm-up of the page caches and the JIT';
  console.log(
    `\nserver RSS (VmRSS of /proc/<pid>/status every ${f(o.sampleEveryMs / 1000)} s): median of the first ${windowS} s after the warm-up ${f(rss.firstMb, 1)} MB (${rss.firstSamples} samples), median of the last ${windowS} s ${f(rss.lastMb, 1)} MB (${rss.lastSamples} samples): growth ${f(rss.growthPct, 1)} % (${limit}); max ${f(rss.maxMb, 1)} MB`,
  );
  const stepMs = Math.max(10_000, o.durationMs / 10);
  console.log(
    `  RSS median of each ${f(stepMs / 1000)} s from the start: ${mediansBy(r.rss, stepMs, endMs)
      .map((mb) => f(mb, 1))
      .join(', ')} MB`,
  );
  for (const [name, samples] of [
    ['anonymous (RssAnon: heaps, SQLite page caches)', r.rssParts.anon],
    ['file-backed (RssFile)', r.rssParts.file],
    ['shared (RssShmem: the WAL index)', r.rssParts.shmem],
  ] as const)
    console.log(
      `  ${name}, median of each ${f(stepMs / 1000)} s: ${mediansBy(samples, stepMs, endMs)
        .map((mb) => f(mb, 1))
        .join(', ')} MB`,
    );
  for (const [name, samples] of [
    ['main thread', r.heap],
    ["click writer's worker", r.workerHeap],
  ] as const) {
    const heap = memoryGrowth(samples, o.warmUpMs, endMs, o.memoryWindowMs);
    console.log(
      `server heap after each full GC, ${name} (node --trace-gc; reported, not judged): ${samples.length} full collections; median ${f(heap.firstMb, 1)} MB in the first ${windowS} s after the warm-up (${heap.firstSamples}), ${f(heap.lastMb, 1)} MB in the last ${windowS} s (${heap.lastSamples}); last ${f(samples.at(-1)?.mb ?? Number.NaN, 1)} MB, max ${f(heap.maxMb, 1)} MB`,
    );
  }

  const answered = Number(/answered (\d+) redirects/.exec(r.stopped)?.[1] ?? Number.NaN);
  const stored = r.after.clicksStored;
  console.log(
    `\nclicks: 302s received ${f(r.clicksAnswered)}; the server after SIGTERM: ${r.stopped || '(no stop line)'}; stored ${f(stored)}; lost ${f(r.clicksAnswered - stored)}`,
  );
  if (stored !== r.clicksAnswered || answered !== r.clicksAnswered)
    failures.push(
      `clicks: ${f(r.clicksAnswered)} 302s received, ${f(answered)} answered by the server, ${f(stored)} stored`,
    );

  const audit = r.after.audit;
  console.log(
    `affnet ledger audit: ${audit.ok ? 'clean' : 'VIOLATIONS'} (${f(audit.transfers)} transfers, ${f(audit.accounts)} accounts)${audit.ok ? '' : ` ${JSON.stringify(audit.violations).slice(0, 1000)}`}`,
  );
  if (!audit.ok) failures.push('ledger audit failed');
  const rollups = r.after.rollups;
  console.log(
    `affnet reports verify: ${rollups.ok ? 'rollups equal the sub-orders' : `${rollups.differenceCount} DIFFERENCES`} (${f(rollups.rows)} rollup rows)`,
  );
  if (!rollups.ok) failures.push('reports verify found differences');
  console.log(`server log lines at level error or above: ${r.serverErrorLineCount}`);
  for (const line of r.serverErrorLines) console.log(`  ${line}`);
  if (r.serverErrorLineCount > 0)
    failures.push(`${r.serverErrorLineCount} error lines in the server's log`);
  return failures;
}
