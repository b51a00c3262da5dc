import http from 'node:http';
import { sql } from 'kysely';
import { FLUSH_INTERVAL_MS } from '../tracking/click-recorder.js';
import { auditChecks, type Check, check, equal } from './checks.js';
import { inMemoryFrom, watchCommits } from './commit-watch.js';
import { count, openWorldDb } from './database.js';
import { FaultServer } from './fault-server.js';
import type { World } from './world.js';

const PHASE = 'a. click flood';
const CLIENTS = 32;
/**
 * What kill -9 may lose while the writes keep up with the traffic: one flush window held in
 * memory, and the batch being committed (itself at most one window of traffic).
 */
export const LOSS_BOUND_MS = 2 * FLUSH_INTERVAL_MS;
/** How often the run reads the count of stored clicks during the flood, to see commits. */
const WATCH_MS = 20;
const RATE_WINDOW_MS = 1000;
const MIN_RATE_WINDOW_MS = 50;
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) affnet-faults/1';

export type FloodFigures = {
  requestsPerS: number;
  /** 302s a second in the window before the kill: the rate the loss is measured at. */
  rateAtKillPerS: number;
  received: number;
  stored: number;
  lost: number;
  lostMs: number;
  /** From the last commit but one to the kill: a flush window and the batch being committed. */
  windowMs: number;
  /** Stored, but the 302 never reached the client: answered as the kill landed. */
  unanswered: number;
};

/** A click each payee has, stored: the orders of the ingest fault are attributed to them. */
export type StoredClick = { affiliateId: string; clickId: string; clickedAt: string };

/**
 * Fault (a): 32 clients flood /c/:code over every payee's link; after `killAfter` 302s the
 * server is killed -9, started again (it replays its spill file) and stopped gracefully.
 * Each 302 names its click (aff_click_id), so the clicks lost are exactly the answered
 * ones that were never stored.
 */
export async function clickFlood(
  world: World,
  killAfter: number,
): Promise<{ checks: Check[]; figures: FloodFigures; clicks: StoredClick[] }> {
  const connection = openWorldDb(world);
  try {
    const db = connection.db;
    const storedCount = () => count(db, sql`select count(*) as n from clicks`);
    const server = FaultServer.start(world.env);
    const url = await server.url;
    const watch = watchCommits(storedCount, WATCH_MS);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const received: string[] = [];
    const receivedAtMs: number[] = [];
    let others = 0;
    let next = 0;
    let killed: Promise<void> | undefined;
    let floodMs = 0;
    let commitsSeen: Promise<number[]> = Promise.resolve([]);
    const started = performance.now();
    const client = async () => {
      while (!killed) {
        const code = (world.payees[next % world.payees.length] as { linkCode: string }).linkCode;
        next += 1;
        const location = await redirect(`${url}/c/${code}`, agent);
        if (location === undefined) return; // the server is gone
        const clickId = /aff_click_id=([0-9a-z]+)/.exec(location)?.[1];
        if (clickId) {
          received.push(clickId);
          receivedAtMs.push(performance.now());
        } else others += 1;
        if (received.length + others >= killAfter && !killed) {
          floodMs = performance.now() - started;
          commitsSeen = watch.stop();
          killed = server.kill9();
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    if (!killed) {
      await watch.stop();
      throw new Error(`the server stopped answering before the kill: ${server.log}`);
    }
    await killed;
    agent.destroy();

    const restarted = FaultServer.start(world.env);
    await restarted.url;
    await restarted.stop();

    const rows = await db
      .selectFrom('clicks')
      .select(['id', 'affiliate_id', 'clicked_at'])
      .orderBy('id')
      .execute();
    const stored = new Set(rows.map((r) => r.id));
    const answered = new Set(received);
    const lost = received.filter((id) => !stored.has(id)).length;
    const unanswered = rows.filter((r) => !answered.has(r.id)).length;
    const requestsPerS = received.length / (floodMs / 1000);
    // The window memory held at the kill: from the last commit but one to the last 302.
    const from = inMemoryFrom(await commitsSeen);
    const lastMs = Math.max(...receivedAtMs);
    const inMemory = from === undefined ? undefined : receivedAtMs.filter((t) => t > from).length;
    const windowMs = from === undefined ? Number.NaN : lastMs - from;
    // The clicks lost are the last ones: counted in ms of the traffic just before the kill,
    // at the rate of that window (else of the last second; the first second of a flood over
    // thousands of links is slower: every link is read from the database once).
    const lastSecond = receivedAtMs.filter((t) => t > lastMs - RATE_WINDOW_MS).length;
    const rateAtKillPerS =
      inMemory !== undefined && windowMs >= MIN_RATE_WINDOW_MS
        ? inMemory / (windowMs / 1000)
        : lastSecond / (RATE_WINDOW_MS / 1000);
    const lostMs = (lost / rateAtKillPerS) * 1000;
    const first = new Map<string, StoredClick>();
    for (const r of rows)
      if (!first.has(r.affiliate_id))
        first.set(r.affiliate_id, {
          affiliateId: r.affiliate_id,
          clickId: r.id,
          clickedAt: r.clicked_at,
        });
    const rolledUp = async (table: 'click_daily' | 'click_daily_sub') =>
      count(db, sql`select sum(clicks + bot_clicks) as n from ${sql.table(table)}`);
    const checks = [
      equal(PHASE, 'answers other than a 302', others, 0),
      check(
        PHASE,
        'clicks lost: only those in memory at the kill',
        `${lost.toLocaleString('en')} (${lostMs.toFixed(0)} ms of traffic)`,
        inMemory === undefined
          ? 'two commits seen before the kill'
          : `≤ ${inMemory.toLocaleString('en')} answered since the last commit but one`,
        inMemory !== undefined && lost <= inMemory,
      ),
      equal(PHASE, 'click_daily equals the clicks', await rolledUp('click_daily'), rows.length),
      equal(
        PHASE,
        'click_daily_sub equals the clicks',
        await rolledUp('click_daily_sub'),
        rows.length,
      ),
      ...(await auditChecks(world, PHASE)),
    ];
    return {
      checks,
      figures: {
        requestsPerS,
        rateAtKillPerS,
        received: received.length,
        stored: rows.length,
        lost,
        lostMs,
        windowMs,
        unanswered,
      },
      clicks: [...first.values()],
    };
  } finally {
    await connection.close();
  }
}

/** A 302's Location (not followed), '' for another status, undefined once the server is gone. */
function redirect(url: string, agent: http.Agent): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { 'user-agent': USER_AGENT } }, (res) => {
      res.resume();
      const location = res.statusCode === 302 ? (res.headers.location ?? '') : '';
      res.on('end', () => resolve(location));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
  });
}
