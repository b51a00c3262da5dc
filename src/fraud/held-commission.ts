import { sql } from 'kysely';
import type { Db } from '../db/types.js';

/**
 * The affiliate's estimated commission held for fraud review, in one currency: the
 * sub-orders still on their way whose order has an open flag. Read from the open flags
 * (a partial index), so it costs nothing for an affiliate without any.
 */
export async function heldCommission(
  db: Db,
  affiliateId: string,
  currency: string,
): Promise<bigint> {
  const row = await db
    .selectFrom('sub_orders as s')
    .select(sql<string | bigint>`coalesce(sum(s.commission_settlement_minor), 0)`.as('held'))
    .where('s.order_id', 'in', (eb) =>
      eb
        .selectFrom('order_flags as f')
        .select('f.order_id')
        .where('f.affiliate_id', '=', affiliateId)
        .where('f.resolved_at', 'is', null),
    )
    .where('s.status', 'in', ['payment_completed', 'buyer_confirmed_receipt'])
    .where('s.settlement_currency', '=', currency)
    .executeTakeFirstOrThrow();
  return BigInt(row.held);
}
