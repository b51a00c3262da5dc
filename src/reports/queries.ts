import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import type { Db } from '../db/types.js';
import { getSettings } from '../settings/get-settings.js';
import type { DayRange } from './periods.js';
import type { OrderCounts, ReportTotals } from './schema.js';

/** Order rollup rows summed per key (a day, a tracking id's row id or a sub1) and currency. */
export type OrderCountsRow = OrderCounts & { key: string; currency: string };

const sum = (column: string) => sql<bigint>`cast(sum(${sql.ref(column)}) as bigint)`;

/**
 * An affiliate's orders between two days from the order rollups, summed per day, tracking
 * id or sub1, and per settlement currency: a range of the rollup's primary key.
 */
export async function orderCounts(
  db: Db,
  affiliateId: string,
  range: DayRange,
  by: 'day' | 'tracking_id' | 'sub1',
): Promise<OrderCountsRow[]> {
  // By sub1 needs the rollup by sub1; everything else reads the smaller one without it.
  const table = by === 'sub1' ? 'order_daily_sub' : 'order_daily';
  const rows = await db
    .selectFrom(table)
    .select([
      sql<string>`${sql.ref(by)}`.as('key'),
      'currency',
      sum('leads').as('leads'),
      sum('approved_leads').as('approved_leads'),
      sum('invalid_leads').as('invalid_leads'),
      sum('estimated_minor').as('estimated_minor'),
      sum('settled_minor').as('settled_minor'),
      sum('clawed_back_minor').as('clawed_back_minor'),
    ])
    .where('affiliate_id', '=', affiliateId)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy([sql.ref(by), 'currency'])
    .execute();
  return rows.map((r) => ({
    key: r.key,
    currency: r.currency,
    leads: BigInt(r.leads),
    approvedLeads: BigInt(r.approved_leads),
    invalidLeads: BigInt(r.invalid_leads),
    estimatedMinor: BigInt(r.estimated_minor),
    settledMinor: BigInt(r.settled_minor),
    clawedBackMinor: BigInt(r.clawed_back_minor),
  }));
}

/**
 * Adds a rollup row to totals: leads of every currency, amounts of `currency` only (the
 * program's settlement currency may have changed; amounts in two currencies never add up).
 */
export function addOrderCounts(totals: ReportTotals, row: OrderCountsRow, currency: string): void {
  totals.leads += row.leads;
  totals.approvedLeads += row.approvedLeads;
  totals.invalidLeads += row.invalidLeads;
  if (row.currency !== currency) return;
  totals.estimatedMinor += row.estimatedMinor;
  totals.settledMinor += row.settledMinor;
  totals.clawedBackMinor += row.clawedBackMinor;
}

/** The currency a report's amounts are in: the one asked for, else today's settlement currency. */
export async function reportCurrency(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  asked: string | undefined,
): Promise<string> {
  return asked ?? (await getSettings(ctx.db, ctx.clock.now())).settlementCurrency;
}
