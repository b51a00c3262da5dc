import { sql } from 'kysely';
import { listAffiliates } from '../affiliates/queries.js';
import type { Ctx } from '../context.js';
import type { Db } from '../db/types.js';
import { debitSumsByRef } from '../ledger/debit-sums-by-ref.js';
import { affiliateSubOrdersByIds } from '../orders/affiliate-sub-orders.js';
import { affiliatePaidSpan, subOrderTotals } from '../orders/sub-order-totals.js';
import { OrderRollupDeltas, type RollupKey, type RollupTable, type Row } from './order-rollups.js';

export type RollupDifference = {
  table: RollupTable;
  key: Record<string, string>;
  /** Counters recomputed from the sub-orders (and clawbacks); all zero when there are none. */
  expected: Record<string, bigint>;
  /** Counters stored in the rollup; all zero when there is no row. */
  stored: Record<string, bigint>;
};

export type RollupCheck = {
  affiliates: number;
  /** Rollup rows compared (stored or expected). */
  rows: number;
  differenceCount: number;
  /** The first MAX_LISTED differences. */
  differences: RollupDifference[];
};

const MAX_LISTED = 1000;
const MAX_MONTHS = 1200;
const MAX_AFFILIATE_PAGES = 100_000;
const IDS_PER_READ = 500;

/**
 * Recomputes the order rollups from the sub-orders (and the ledger's clawbacks) of one
 * affiliate, or of every affiliate, a month at a time, and lists every rollup row that
 * differs: `affnet reports verify`. A row of zeros counts as no row.
 */
export async function verifyOrderRollups(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  options: { affiliateId?: string | undefined } = {},
): Promise<RollupCheck> {
  const check: RollupCheck = { affiliates: 0, rows: 0, differenceCount: 0, differences: [] };
  if (options.affiliateId) {
    await verifyAffiliate(ctx, options.affiliateId, check);
    return check;
  }
  let after: string | undefined;
  for (let page = 0; page < MAX_AFFILIATE_PAGES; page += 1) {
    const affiliates = await listAffiliates(ctx.db, { after, limit: 200 });
    for (const affiliate of affiliates) await verifyAffiliate(ctx, affiliate.id, check);
    after = affiliates.at(-1)?.id;
    if (affiliates.length < 200) break;
  }
  return check;
}

async function verifyAffiliate(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  affiliateId: string,
  check: RollupCheck,
): Promise<void> {
  check.affiliates += 1;
  const months = monthsBetween(await spanOf(ctx.db, affiliateId));
  // Clawbacks are few: every one of the affiliate's, with its sub-order's rollup key.
  const clawbacks = await debitSumsByRef(ctx.db, {
    ownerId: affiliateId,
    kind: 'affiliate',
    code: 'clawback',
  });
  const clawbacksOf = new Map<string, { key: RollupKey; amountMinor: bigint }[]>();
  for (let start = 0; start < clawbacks.length; start += IDS_PER_READ) {
    const chunk = clawbacks.slice(start, start + IDS_PER_READ);
    const subs = new Map(
      (
        await affiliateSubOrdersByIds(
          ctx.db,
          affiliateId,
          chunk.map((c) => c.ref),
        )
      ).map((s) => [s.subOrderId, s]),
    );
    for (const c of chunk) {
      const sub = subs.get(c.ref);
      if (!sub) continue;
      const month = sub.paidAt.slice(0, 7);
      const list = clawbacksOf.get(month) ?? [];
      list.push({
        key: {
          affiliateId,
          paidAt: sub.paidAt,
          trackingId: sub.trackingId,
          sub1: sub.sub1,
          productId: sub.productId,
          currency: c.currency,
        },
        amountMinor: c.amountMinor,
      });
      clawbacksOf.set(month, list);
    }
  }
  for (const month of months) {
    const expected = new OrderRollupDeltas();
    for (const t of await subOrderTotals(ctx.db, affiliateId, {
      from: `${month}-01`,
      to: `${month}-31`,
    }))
      expected.add(
        {
          affiliateId,
          paidAt: t.day,
          trackingId: t.trackingId,
          sub1: t.sub1,
          productId: t.productId,
          currency: t.currency,
        },
        { status: t.status, commissionMinor: t.commissionMinor, settledMinor: t.settledMinor },
        t.subOrders,
      );
    for (const c of clawbacksOf.get(month) ?? []) expected.clawBack(c.key, c.amountMinor);
    for (const table of expected.tables()) {
      const stored = await storedRows(ctx.db, table, affiliateId, month);
      compare(check, table, stored);
    }
  }
}

/** Compares expected rows with stored ones, both as key columns then counters. */
function compare(
  check: RollupCheck,
  table: ReturnType<OrderRollupDeltas['tables']>[number],
  stored: Row[],
): void {
  const width = table.keyColumns.length;
  const index = (rows: Row[]) => {
    const map = new Map<string, Row>();
    for (const row of rows)
      if (row.slice(width).some((v) => v !== 0n)) map.set(row.slice(0, width).join('\t'), row);
    return map;
  };
  const want = index(table.rows);
  const have = index(stored);
  for (const id of new Set([...want.keys(), ...have.keys()])) {
    check.rows += 1;
    const a = want.get(id);
    const b = have.get(id);
    const counters = (row: Row | undefined) =>
      Object.fromEntries(
        table.counterColumns.map((name, i) => [name, (row?.[width + i] as bigint) ?? 0n]),
      );
    const expected = counters(a);
    const actual = counters(b);
    if (table.counterColumns.every((name) => expected[name] === actual[name])) continue;
    check.differenceCount += 1;
    if (check.differences.length < MAX_LISTED)
      check.differences.push({
        table: table.table,
        key: Object.fromEntries(
          table.keyColumns.map((name, i) => [name, String((a ?? b)?.[i] ?? '')]),
        ),
        expected,
        stored: actual,
      });
  }
}

/** A rollup's stored rows of one affiliate and month, in the column order of `tables()`. */
async function storedRows(
  db: Db,
  table: ReturnType<OrderRollupDeltas['tables']>[number],
  affiliateId: string,
  month: string,
): Promise<Row[]> {
  const columns = [...table.keyColumns, ...table.counterColumns];
  const period = sql`day >= ${`${month}-01`} and day <= ${`${month}-31`}`;
  const { rows } = await sql<Record<string, string | bigint>>`select ${sql.join(
    columns.map((c) => sql.ref(c)),
  )} from ${sql.table(table.table)} where affiliate_id = ${affiliateId} and ${period}`.execute(db);
  return rows.map((r) => columns.map((c) => r[c] as string | bigint));
}

/** The months an affiliate has sub-orders or rollup rows in. */
async function spanOf(
  db: Db,
  affiliateId: string,
): Promise<{ first: string; last: string } | undefined> {
  const spans = [await affiliatePaidSpan(db, affiliateId)];
  for (const table of ['order_daily', 'order_daily_sub', 'order_daily_product'] as const) {
    const row = await db
      .selectFrom(table)
      .select([sql<string | null>`min(day)`.as('first'), sql<string | null>`max(day)`.as('last')])
      .where('affiliate_id', '=', affiliateId)
      .executeTakeFirst();
    if (row?.first && row.last) spans.push({ first: row.first, last: row.last });
  }
  const known = spans.filter((s) => s !== undefined);
  if (known.length === 0) return undefined;
  return {
    first: known.map((s) => s.first.slice(0, 7)).sort()[0] as string,
    last: known
      .map((s) => s.last.slice(0, 7))
      .sort()
      .at(-1) as string,
  };
}

function monthsBetween(span: { first: string; last: string } | undefined): string[] {
  if (!span) return [];
  const months: string[] = [];
  let [year, month] = span.first.split('-').map(Number) as [number, number];
  for (let i = 0; i < MAX_MONTHS; i += 1) {
    const text = `${year}-${String(month).padStart(2, '0')}`;
    months.push(text);
    if (text >= span.last) break;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}
