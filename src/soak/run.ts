// npm run soak [-- --minutes N | --short] [--database sqlite|postgres] [--events-per-request N]
// — the server under 1,000 clicks/s, 200 merchant events/s and a few dashboard reads a
// second for 10 minutes, paced open-loop over loopback, while its memory is sampled; then a
// graceful stop and the checks: no error, every stream at its rate, RSS growth ≤ 10 % after
// the 2-minute warm-up, every click answered stored, the ledger audit and the rollups clean.
// --short (CI): 60 s with a 15 s warm-up, the same checks but memory, which is reported.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliEnv, freshPostgres, postgresUrl } from '../bench/bench-util.js';
import { SeededRandom } from '../seed/random.js';
import { checkAfterStop } from './after-stop.js';
import { ClickPool } from './click-pool.js';
import { clickRequest } from './click-stream.js';
import { ownCpuMs, processCpuMs } from './cpu.js';
import { dashboardApiRequest, logIn, portalPageRequest } from './dashboard-reads.js';
import { type EventCounts, eventSender } from './event-stream.js';
import { HttpClient } from './http-client.js';
import { type MemorySample, readRssMb, readRssParts } from './memory.js';
import { parseSoakOptions } from './options.js';
import { OrderFlow } from './order-flow.js';
import { pace } from './pacer.js';
import { reportSoak } from './report.js';
import { setUpWorld } from './setup.js';
import { SoakServer } from './soak-server.js';
import { StreamStats } from './stream-stats.js';

const o = parseSoakOptions(process.argv.slice(2));
const SECRET = `msk_soak_${randomBytes(16).toString('hex')}`;
/** How long the requests still in flight at the end may take to answer. */
const DRAIN_MS = 30_000;
console.log(
  `soak (${o.profile}): ${o.durationMs / 1000} s under load on ${o.database}, the first ${o.warmUpMs / 1000} s warm-up; clicks ${o.clicksPerS}/s, merchant events ${o.eventsPerS}/s (${o.eventsPerRequest === 1 ? 'one event per signed request' : `${o.eventsPerRequest} per request`}), dashboard API ${o.dashboardApiPerS}/s, portal dashboard page ${o.portalPagePerS}/s; open-loop over loopback; node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(2)}`,
);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-soak-'));
const database = o.database === 'postgres' ? await scratchPostgres() : undefined;
const clients: HttpClient[] = [];
let started: SoakServer | undefined;
try {
  // Behind a proxy, as in production: the visitors' addresses come in X-Forwarded-For.
  const env = cliEnv(dataDir, database?.url, {
    PORT: '0',
    AFFNET_MERCHANT_SECRET: SECRET,
    AFFNET_TRUST_PROXY: 'true',
  });
  const world = await setUpWorld(env);
  console.log(
    `set up: ${world.affiliateIds.length} affiliates, ${world.links.length} links, ${world.products.length} products paying commission`,
  );
  const { server, url } = await SoakServer.start(env);
  started = server;
  const client = (maxSockets: number) => {
    const made = new HttpClient(url, maxSockets);
    clients.push(made);
    return made;
  };
  const clickClient = client(256);
  const eventClient = client(64);
  const readClient = client(4);
  const cookie = await logIn(readClient, 'demo@affnet.local', 'demo-affiliate');

  const streams = {
    clicks: new StreamStats('clicks GET /c/:code', o.clicksPerS, 5000),
    events: new StreamStats('merchant events', o.eventsPerS, 1000),
    dashboard: new StreamStats('GET /api/v1/reports/dashboard', o.dashboardApiPerS, 50),
    portal: new StreamStats('portal GET /dashboard', o.portalPagePerS, 50),
  };
  const pool = new ClickPool();
  const runId = `soak${Date.now().toString(36)}`;
  const flow = new OrderFlow(new SeededRandom(9), runId, world.products, pool);
  const events: EventCounts = { accepted: 0, replayed: 0, skipped: 0 };
  const click = clickRequest(clickClient, world.links, pool);
  const sendEvents = eventSender(
    eventClient,
    flow,
    SECRET,
    o.eventsPerRequest,
    streams.events,
    events,
  );
  const dashboard = dashboardApiRequest(readClient, world.apiKey);
  const portal = portalPageRequest(readClient, cookie);

  const startMs = performance.now() + 100;
  const warmEndMs = startMs + o.warmUpMs;
  const endMs = startMs + o.durationMs;
  const measured = () => performance.now() >= warmEndMs;
  server.setOrigin(startMs);
  const rss: MemorySample[] = [];
  const rssParts: { anon: MemorySample[]; file: MemorySample[]; shmem: MemorySample[] } = {
    anon: [],
    file: [],
    shmem: [],
  };
  const sampler = setInterval(() => {
    const mb = readRssMb(server.pid);
    const atMs = performance.now() - startMs;
    if (mb !== undefined) rss.push({ atMs, mb });
    const parts = readRssParts(server.pid);
    if (parts) {
      rssParts.anon.push({ atMs, mb: parts.anonMb });
      rssParts.file.push({ atMs, mb: parts.fileMb });
      rssParts.shmem.push({ atMs, mb: parts.shmemMb });
    }
  }, o.sampleEveryMs);
  // CPU over the measured part: the server's (all its threads) and the load generator's.
  const cpu = { fromServerMs: 0, fromClientMs: 0, toServerMs: 0, toClientMs: 0 };
  const atWarmEnd = setTimeout(() => {
    cpu.fromServerMs = processCpuMs(server.pid) ?? Number.NaN;
    cpu.fromClientMs = ownCpuMs();
  }, warmEndMs - performance.now());
  const progressEveryMs = o.profile === 'short' ? 15_000 : 60_000;
  const progress = setInterval(() => {
    const s = Math.round((performance.now() - startMs) / 1000);
    const errors = Object.values(streams).reduce((sum, st) => sum + st.errorCount, 0);
    console.log(
      `[${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}] clicks ${streams.clicks.ok}, events accepted ${events.accepted}, dashboard reads ${streams.dashboard.ok + streams.portal.ok}, errors ${errors}, orders waiting ${flow.waiting}, RSS ${rss.at(-1)?.mb.toFixed(0)} MB`,
    );
  }, progressEveryMs);

  const paced = await pace([
    {
      name: 'clicks',
      ratePerS: o.clicksPerS,
      startMs,
      endMs,
      fire: (i) => streams.clicks.track(() => click(i), measured()),
    },
    {
      name: 'events',
      ratePerS: o.eventsPerS / o.eventsPerRequest,
      startMs,
      endMs,
      fire: () => sendEvents(measured()),
    },
    {
      name: 'dashboard',
      ratePerS: o.dashboardApiPerS,
      startMs,
      endMs,
      fire: () => streams.dashboard.track(dashboard, measured()),
    },
    {
      name: 'portal',
      ratePerS: o.portalPagePerS,
      startMs,
      endMs,
      fire: () => streams.portal.track(portal, measured()),
    },
  ]);
  cpu.toServerMs = processCpuMs(server.pid) ?? Number.NaN;
  cpu.toClientMs = ownCpuMs();
  clearTimeout(atWarmEnd);
  clearInterval(progress);
  for (const stats of Object.values(streams)) await stats.drained(DRAIN_MS);
  clearInterval(sampler);
  for (const made of clients) made.close();

  const stop = await server.stop();
  if (stop.code !== 0)
    throw new Error(`affnet serve exited ${stop.code} on SIGTERM: ${stop.stderr}`);
  const failures = reportSoak({
    options: o,
    streams: [
      { stats: streams.clicks, pace: paced.get('clicks') },
      { stats: streams.events, pace: paced.get('events'), eventsPerRequest: o.eventsPerRequest },
      { stats: streams.dashboard, pace: paced.get('dashboard') },
      { stats: streams.portal, pace: paced.get('portal') },
    ],
    events: { ...events, byType: flow.sentByType },
    cpuPercent: {
      server: ((cpu.toServerMs - cpu.fromServerMs) / (o.durationMs - o.warmUpMs)) * 100,
      loadGenerator: ((cpu.toClientMs - cpu.fromClientMs) / (o.durationMs - o.warmUpMs)) * 100,
    },
    rss,
    rssParts,
    heap: server.gc.main,
    workerHeap: server.gc.worker,
    stopped: stop.stopped,
    clicksAnswered: streams.clicks.ok,
    after: await checkAfterStop(env, dataDir, database?.url),
    serverErrorLines: server.firstErrorLines,
    serverErrorLineCount: server.errorLogLines,
  });
  console.log(failures.length ? `\nsoak FAILED: ${failures.join('; ')}` : '\nsoak passed');
  process.exitCode = failures.length ? 1 : 0;
} finally {
  for (const made of clients) made.close();
  // Stopped already, unless something failed on the way: never leave the server running.
  await started?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
}

/** A fresh PostgreSQL database (DATABASE_URL's server, else the local one), dropped at the end. */
async function scratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = await postgresUrl();
  if (!base) throw new Error('--database postgres: no PostgreSQL answers (set DATABASE_URL)');
  return freshPostgres(base, 'affnet_soak');
}
