import assert from 'node:assert/strict';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { type ClaimedDelivery, recordAttempt } from './record-attempt.js';
import { type AttemptOutcome, sendPostback, sendWebhook } from './send-delivery.js';

export type DeliverOptions = {
  /** Deliveries taken in this run, oldest due first; 100 by default. */
  limit?: number;
  /** For tests and proxies; the global fetch by default. */
  fetch?: typeof fetch;
  /** How long a receiver may take to answer; 10 s by default. */
  timeoutMs?: number;
};
export type DeliverReport = { delivered: number; failed: number; disabled: number };

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 60_000;
/** Receivers answered at once: one slow receiver does not hold up the others. */
const CONCURRENCY = 8;
/** How long a claim keeps other servers off a delivery, beyond the send's own timeout. */
const LEASE_SLACK_MS = 60_000;

type Claimed = ClaimedDelivery & { event_type: string; payload: string };
type Target =
  | {
      kind: 'webhook';
      status: string;
      reason: string | null;
      url: string;
      secretEnc: string;
      previousSecretEnc: string | null;
      previousUntil: string | null;
    }
  | { kind: 'postback'; status: string; reason: string | null; urlTemplate: string };

/**
 * Sends the deliveries that are due: claims them first (so two servers on one database
 * never send the same one at once), then POSTs each webhook signed, or GETs each postback's
 * filled template. A 2xx delivers; anything else is recorded and retried with backoff
 * (recordAttempt). A delivery for a target disabled meanwhile is failed unsent.
 * `failed` counts failed attempts; `disabled`, the targets this run disabled.
 */
export async function deliverDue(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'clock' | 'secrets'>,
  options: DeliverOptions = {},
): Promise<DeliverReport> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  assert(Number.isInteger(limit) && limit > 0 && limit <= MAX_LIMIT, `bad limit ${limit}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  assert(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS, `bad timeout ${timeoutMs}`);
  const report: DeliverReport = { delivered: 0, failed: 0, disabled: 0 };
  const claimed = await claimDue(ctx, limit, timeoutMs + LEASE_SLACK_MS);
  if (claimed.length === 0) return report;
  const targets = await loadTargets(ctx, claimed);
  const send = { fetch: options.fetch ?? fetch, timeoutMs };
  await eachConcurrently(claimed, CONCURRENCY, async (delivery) => {
    const target = targets.get(delivery.target_id);
    if (target?.status !== 'active') {
      await ctx.db
        .updateTable('deliveries')
        .set({
          status: 'failed',
          next_attempt_at: null,
          last_error: `${delivery.target_kind} disabled: ${target?.reason ?? 'gone'}`,
        })
        .where('id', '=', delivery.id)
        .where('status', '=', 'pending')
        .execute();
      return;
    }
    const now = ctx.clock.now();
    let outcome: AttemptOutcome;
    if (target.kind === 'postback')
      outcome = await sendPostback(target, delivery, { ...send, now });
    else {
      const secret = unseal(ctx, target.secretEnc);
      // The secret a rotation replaced signs too until its overlap ends.
      const previousSecret =
        target.previousSecretEnc && target.previousUntil && toDbTime(now) < target.previousUntil
          ? unseal(ctx, target.previousSecretEnc)
          : undefined;
      outcome =
        secret === undefined
          ? { ok: false, statusCode: null, error: UNSEALABLE, durationMs: 0 }
          : await sendWebhook(
              { url: target.url, secret, previousSecret },
              { id: delivery.id, eventType: delivery.event_type, payload: delivery.payload },
              { ...send, now },
            );
    }
    const result = await recordAttempt(ctx, delivery, outcome);
    if (result === 'delivered') report.delivered += 1;
    if (result === 'failed' || result === 'disabled') report.failed += 1;
    if (result === 'disabled') report.disabled += 1;
  });
  return report;
}

/**
 * Takes up to `limit` due deliveries by moving their next attempt past the lease, in one
 * statement. On PostgreSQL rows another server is claiming are skipped (skip locked), and
 * a row claimed meanwhile is no longer due when re-checked; SQLite has one writer.
 */
async function claimDue(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'clock'>,
  limit: number,
  leaseMs: number,
): Promise<Claimed[]> {
  const now = ctx.clock.now();
  const due = ctx.db
    .selectFrom('deliveries')
    .select('id')
    .where('next_attempt_at', '<=', toDbTime(now))
    .where('status', '=', 'pending')
    .orderBy('next_attempt_at')
    .limit(limit)
    .$if(ctx.dialect === 'postgres', (q) => q.forUpdate().skipLocked());
  const rows = await ctx.db
    .updateTable('deliveries')
    .set({ next_attempt_at: toDbTime(new Date(now.getTime() + leaseMs)) })
    .where('id', 'in', due)
    .returning(['id', 'target_kind', 'target_id', 'attempts', 'event_type', 'payload'])
    .execute();
  // Oldest first, as they were due (ids are time-ordered).
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function loadTargets(
  ctx: Pick<Ctx, 'db'>,
  claimed: readonly Claimed[],
): Promise<Map<string, Target>> {
  const ids = (kind: string) => [
    ...new Set(claimed.filter((d) => d.target_kind === kind).map((d) => d.target_id)),
  ];
  const targets = new Map<string, Target>();
  const webhookIds = ids('webhook');
  if (webhookIds.length > 0)
    for (const w of await ctx.db
      .selectFrom('webhooks')
      .select([
        'id',
        'url',
        'secret_enc',
        'previous_secret_enc',
        'previous_until',
        'status',
        'disabled_reason',
      ])
      .where('id', 'in', webhookIds)
      .execute())
      targets.set(w.id, {
        kind: 'webhook',
        status: w.status,
        reason: w.disabled_reason,
        url: w.url,
        secretEnc: w.secret_enc,
        previousSecretEnc: w.previous_secret_enc,
        previousUntil: w.previous_until,
      });
  const postbackIds = ids('postback');
  if (postbackIds.length > 0)
    for (const p of await ctx.db
      .selectFrom('postbacks')
      .select(['id', 'url_template', 'status', 'disabled_reason'])
      .where('id', 'in', postbackIds)
      .execute())
      targets.set(p.id, {
        kind: 'postback',
        status: p.status,
        reason: p.disabled_reason,
        urlTemplate: p.url_template,
      });
  return targets;
}

const UNSEALABLE = 'the signing secret cannot be opened: was AFFNET_SECRET_KEY changed?';

/** The webhook's secret, or undefined when it was sealed under another key. */
function unseal(ctx: Pick<Ctx, 'secrets'>, sealed: string): string | undefined {
  try {
    return ctx.secrets.open(sealed);
  } catch {
    return undefined;
  }
}

/** Runs `work` over the items, at most `n` at a time; rethrows the first failure at the end. */
async function eachConcurrently<T>(
  items: readonly T[],
  n: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await work(item);
      }
    }),
  );
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
}
