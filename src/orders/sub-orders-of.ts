import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';
import type { SubOrderStatus } from '../db/types.js';

export type SubOrderOutcome = {
  orderId: string;
  subOrderId: string;
  affiliateId: string | null;
  status: SubOrderStatus;
  /** The commission booked at payment, in the settlement currency. */
  commissionMinor: bigint;
  /** What settlement posted; null until settled. */
  settledMinor: bigint | null;
  currency: string;
};

type Row = {
  order_id: string;
  sub_order_id: string;
  affiliate_id: string | null;
  status: SubOrderStatus;
  commission_settlement_minor: bigint;
  settled_minor: bigint | null;
  settlement_currency: string;
};

/** Where the sub-orders of these orders stand now: state, commission, what settled. */
export async function subOrdersOf(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  orderIds: readonly string[],
): Promise<SubOrderOutcome[]> {
  const rows = await selectWhereIn<Row>(ctx, {
    from: 'sub_orders',
    columns: [
      'order_id',
      'sub_order_id',
      'affiliate_id',
      'status',
      'commission_settlement_minor',
      'settled_minor',
      'settlement_currency',
    ],
    column: 'order_id',
    values: orderIds,
  });
  return rows.map((r) => ({
    orderId: r.order_id,
    subOrderId: r.sub_order_id,
    affiliateId: r.affiliate_id,
    status: r.status,
    commissionMinor: BigInt(r.commission_settlement_minor),
    settledMinor: r.settled_minor === null ? null : BigInt(r.settled_minor),
    currency: r.settlement_currency,
  }));
}
