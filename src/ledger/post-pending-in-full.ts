import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { cachedStatement } from '../db/bulk-upsert.js';
import { toDbTime } from '../db/time.js';
import { newId } from '../lib/ids.js';
import { addDelta, applyBalanceDeltas, type BalanceDeltas } from './balance-deltas.js';

/**
 * Posts of many pending transfers, each for its whole amount. They follow one naming rule:
 * the post of `ref` is keyed `keyPrefix + ref` and resolves the pending transfer keyed
 * `pendingKeyPrefix + ref` — so the database builds the keys, and a request is an id and a ref.
 */
export type FullPosts = {
  keyPrefix: string;
  pendingKeyPrefix: string;
  code: string;
  explanation: string | null;
  refs: readonly string[];
};

// @rows: a JSON array of [id, ref].
const SQLITE_POST = `insert into ledger_transfers
    (id, key, kind, debit_account_id, credit_account_id, amount_minor, currency, pending_id,
     code, ref, explanation, created_at)
  select r.value ->> '$[0]', @keyPrefix || (r.value ->> '$[1]'), 'post', p.debit_account_id,
    p.credit_account_id, p.amount_minor, p.currency, p.id, @code, r.value ->> '$[1]', @explanation, @now
  from json_each(@rows) r
  join ledger_transfers p on p.key = @pendingKeyPrefix || (r.value ->> '$[1]') and p.kind = 'pending'
  where true
  on conflict do nothing`;
// What the posts will move, per pair of accounts, read before the insert: summing in the
// database costs less than returning every row (RETURNING made the insert 40% dearer).
const SQLITE_SUMS = `select p.debit_account_id, p.credit_account_id,
    sum(p.amount_minor) as amount_minor, count(*) as n
  from json_each(@rows) r
  join ledger_transfers p on p.key = @pendingKeyPrefix || (r.value ->> '$[1]') and p.kind = 'pending'
  group by p.debit_account_id, p.credit_account_id`;
// The posts this call booked (its own ids), when some request booked nothing.
const SQLITE_BOOKED = `select t.key, t.debit_account_id, t.credit_account_id, t.amount_minor
  from json_each(@rows) r
  join ledger_transfers t on t.key = @keyPrefix || (r.value ->> '$[1]')
  where t.id = r.value ->> '$[0]'`;

type Move = { debit_account_id: string; credit_account_id: string; amount_minor: bigint };

/**
 * Posts many pending transfers for their whole amount, set-based: the database finds each
 * pending transfer and inserts its post in one statement, so the rows never travel through
 * JavaScript (settlement's fast lane). The rules of `resolvePendingBatch` hold: a key
 * already used, or a pending transfer missing or resolved already, books nothing. Returns
 * the refs booked now, for the caller to send the others the way that tells why.
 */
export async function postPendingInFull(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  posts: FullPosts,
): Promise<Set<string>> {
  const { refs } = posts;
  if (refs.length === 0) return new Set();
  const now = toDbTime(ctx.clock.now());
  const ids = refs.map(() => newId('trf', ctx.clock));
  let booked: (Move & { key: string })[];
  if (ctx.sqlite) {
    const rows = JSON.stringify(refs.map((ref, i) => [ids[i], ref]));
    const { keyPrefix, pendingKeyPrefix, code, explanation } = posts;
    const sums = cachedStatement(ctx.sqlite, SQLITE_SUMS).all({
      pendingKeyPrefix,
      rows,
    }) as (Move & {
      n: bigint;
    })[];
    const found = sums.reduce((total, row) => total + Number(row.n), 0);
    const { changes } = cachedStatement(ctx.sqlite, SQLITE_POST).run({
      now,
      keyPrefix,
      code,
      explanation,
      pendingKeyPrefix,
      rows,
    }) as { changes: number };
    if (found === refs.length && changes === refs.length) {
      // Every request booked: the sums are exactly what moved.
      await applyBalanceDeltas(ctx, deltasOf(sums));
      return new Set(refs);
    }
    booked = cachedStatement(ctx.sqlite, SQLITE_BOOKED).all({ keyPrefix, rows }) as (Move & {
      key: string;
    })[];
  } else {
    booked = (
      await sql<Move & { key: string }>`insert into ledger_transfers
          (id, key, kind, debit_account_id, credit_account_id, amount_minor, currency,
           pending_id, code, ref, explanation, created_at)
        select r.id, ${posts.keyPrefix} || r.ref, 'post', p.debit_account_id,
          p.credit_account_id, p.amount_minor, p.currency, p.id, ${posts.code}, r.ref,
          ${posts.explanation}::text, ${now}
        from unnest(${ids}::text[], ${refs}::text[]) as r(id, ref)
        -- lateral: one index lookup per request. A plain join, its statistics expecting
        -- few pending transfers, scanned and hashed the whole ledger on every pass.
        cross join lateral (
          select * from ledger_transfers
          where key = ${posts.pendingKeyPrefix} || r.ref and kind = 'pending'
        ) p
        on conflict do nothing
        returning key, debit_account_id, credit_account_id, amount_minor`.execute(ctx.db)
    ).rows;
  }
  await applyBalanceDeltas(ctx, deltasOf(booked));
  return new Set(booked.map((row) => row.key.slice(posts.keyPrefix.length)));
}

/** A post moves its amount from pending to posted on both of its accounts. */
function deltasOf(moves: readonly Move[]): BalanceDeltas {
  const deltas: BalanceDeltas = new Map();
  for (const row of moves) {
    const amount = BigInt(row.amount_minor);
    addDelta(deltas, row.debit_account_id, { debitsPending: -amount, debitsPosted: amount });
    addDelta(deltas, row.credit_account_id, { creditsPending: -amount, creditsPosted: amount });
  }
  return deltas;
}
