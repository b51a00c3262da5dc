import type { Ctx } from '../context.js';
import { transfer } from '../ledger/transfer.js';
import { transfersFor } from '../ledger/transfers-for.js';
import type { SubOrderRow } from '../orders/plan-order.js';
import { releaseTargetMinor, sellerAccounts } from './release-amounts.js';

/** One correction per cumulative refunded amount: re-running a sync books nothing new. */
export const releaseCorrectionKey = (subOrderId: string, refundedMinor: bigint) =>
  `seller_release_correction:${subOrderId}:${refundedMinor}`;

/**
 * A refund after the seller's share was released: takes back from the seller's payable
 * what was released above the sale after refunds minus the commission the affiliate keeps
 * (its clawback is booked first, in the same sync). A sub-order not released yet needs no
 * correction: its release will be computed on the refunds known then. Returns what it took
 * back now (0 when nothing more was due).
 */
export async function correctSellerRelease(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  sub: SubOrderRow,
  refundedMinor: bigint,
): Promise<bigint> {
  const row = await ctx.db
    .selectFrom('sub_orders as s')
    .innerJoin('products as p', 'p.product_id', 's.product_id')
    .innerJoin('stores as st', 'st.id', 'p.store_id')
    .select(['s.released_at', 'st.seller_id'])
    .where('s.sub_order_id', '=', sub.sub_order_id)
    .executeTakeFirst();
  if (!row?.released_at) return 0n;
  let clawedBack = 0n;
  let released = 0n;
  for (const t of await transfersFor(ctx.db, sub.sub_order_id)) {
    if (t.code === 'clawback') clawedBack += t.amountMinor;
    else if (t.code === 'seller_release') released += t.amountMinor;
    else if (t.code === 'seller_release_correction') released -= t.amountMinor;
  }
  const { saleMinor, commissionMinor, targetMinor } = releaseTargetMinor(
    sub,
    refundedMinor,
    clawedBack,
  );
  const due = released - targetMinor;
  if (due <= 0n) return 0n;
  const { debit, credit } = sellerAccounts(row.seller_id, sub.settlement_currency);
  await transfer(ctx, {
    kind: 'posted',
    key: releaseCorrectionKey(sub.sub_order_id, refundedMinor),
    debit: credit,
    credit: debit,
    amountMinor: due,
    code: 'seller_release_correction',
    ref: sub.sub_order_id,
    explanation: `refund of ${refundedMinor} ${sub.currency} after release: sale now ${saleMinor} − commission ${commissionMinor} ${sub.settlement_currency}`,
  });
  return due;
}
