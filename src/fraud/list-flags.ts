import type { Selectable } from 'kysely';
import type { Db, OrderFlagsTable } from '../db/types.js';
import { AppError } from '../errors.js';
import { parseInput } from '../lib/parse-input.js';
import { type FlagFilter, type FlagView, flagFilter } from './schema.js';
import { type FraudSignal, SIGNAL_WORDS } from './signals.js';

/**
 * Fraud flags newest first (open ones unless `open: false`), optionally of one signal or
 * one affiliate, a page before a flag id, each with what is at stake on its order.
 */
export async function listFlags(db: Db, filter: FlagFilter = {}): Promise<FlagView[]> {
  const f = parseInput(flagFilter, filter);
  const rows = await db
    .selectFrom('order_flags')
    .selectAll()
    .$if(f.open, (q) => q.where('resolved_at', 'is', null))
    .$if(f.signal !== undefined, (q) => q.where('signal', '=', f.signal as string))
    .$if(f.affiliate_id !== undefined, (q) =>
      q.where('affiliate_id', '=', f.affiliate_id as string),
    )
    .$if(f.before !== undefined, (q) => q.where('id', '<', f.before as string))
    .orderBy('id', 'desc')
    .limit(f.limit)
    .execute();
  return withOrders(db, rows);
}

/** One flag by id, or flag_not_found. */
export async function getFlag(db: Db, id: string): Promise<FlagView> {
  const row = await db
    .selectFrom('order_flags')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('flag_not_found', `no flag ${id}`);
  return (await withOrders(db, [row]))[0] as FlagView;
}

async function withOrders(db: Db, rows: Selectable<OrderFlagsTable>[]): Promise<FlagView[]> {
  const orderIds = [...new Set(rows.map((r) => r.order_id))];
  const subs =
    orderIds.length === 0
      ? []
      : await db
          .selectFrom('sub_orders')
          .select([
            'order_id',
            'sub_order_id',
            'status',
            'paid_at',
            'commission_settlement_minor',
            'settlement_currency',
          ])
          .where('order_id', 'in', orderIds)
          .orderBy('sub_order_id')
          .execute();
  return rows.map((r) => {
    const covered = subs.filter(
      (s) =>
        s.order_id === r.order_id && (r.sub_order_id === null || s.sub_order_id === r.sub_order_id),
    );
    const first = covered[0];
    return {
      id: r.id,
      orderId: r.order_id,
      subOrderId: r.sub_order_id,
      affiliateId: r.affiliate_id,
      signal: r.signal,
      words: SIGNAL_WORDS[r.signal as FraudSignal] ?? r.signal,
      reason: r.reason,
      createdAt: r.created_at,
      resolvedAt: r.resolved_at,
      resolution: r.resolution,
      resolvedBy: r.resolved_by,
      note: r.resolution_note,
      order: first
        ? {
            paidAt: first.paid_at ?? '',
            statuses: [...new Set(covered.map((s) => s.status))],
            commissionMinor: covered.reduce((sum, s) => sum + s.commission_settlement_minor, 0n),
            currency: first.settlement_currency,
          }
        : null,
    };
  });
}
