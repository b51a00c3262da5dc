import { listTrackingIds } from '../../../affiliates/tracking-ids.js';
import { productSummaries } from '../../../catalog/products-by-ids.js';
import type { Ctx } from '../../../context.js';
import { convertMoney, formatBasisPoints, money, parseFxRate } from '../../../money.js';
import type { AffiliateSubOrder } from '../../../orders/affiliate-sub-orders.js';
import { loadClickFacts } from '../../../tracking/attribute-click.js';
import { platformTime } from '../params.js';
import { idValue } from './product-row.js';

export const ORDER_STATUSES = {
  'Payment Completed': 'payment_completed',
  'Buyer Confirmed Receipt': 'buyer_confirmed_receipt',
  'Completed Settlement': 'completed_settlement',
  Invalid: 'invalid',
} as const;
const LABELS = Object.fromEntries(Object.entries(ORDER_STATUSES).map(([label, s]) => [s, label]));

/**
 * Sub-orders as the Open API's order rows, one per sub-order. Amounts are minor units of
 * the settlement currency (`settled_currency`), the paid amount converted at the rate
 * stored with the sub-order; times are the platform's (GMT+8). `custom_parameters` holds
 * the click's sub-ids; `is_hot_product` says whether the click came through a hot link;
 * `is_held` and `hold_reason` say whether the program holds it for fraud review, and why.
 */
export async function orderRows(
  ctx: Ctx,
  affiliateId: string,
  subOrders: readonly AffiliateSubOrder[],
): Promise<Record<string, unknown>[]> {
  // Orders hold the tracking id's row id; the affiliate knows it by its name.
  const names = new Map(
    (await listTrackingIds(ctx.db, affiliateId)).map((tracking) => [tracking.id, tracking.name]),
  );
  const products = await productSummaries(
    ctx,
    subOrders.map((s) => s.productId),
  );
  const clicks = await loadClickFacts(
    ctx.db,
    subOrders.flatMap((s) => (s.clickId ? [s.clickId] : [])),
  );
  return subOrders.map((s) => {
    const click = s.clickId ? clicks.get(s.clickId.toLowerCase()) : undefined;
    const product = products.get(s.productId);
    const fx = s.fxRate;
    const paid =
      s.currency === s.settlementCurrency || fx === null
        ? s.paidMinor
        : convertMoney(
            money(s.paidMinor, s.currency),
            parseFxRate(s.currency, s.settlementCurrency, fx),
          ).amountMinor;
    const finished = s.status === 'buyer_confirmed_receipt' || s.status === 'completed_settlement';
    const subs = click
      ? Object.fromEntries(click.subs.flatMap((v, i) => (v === null ? [] : [[`sub${i + 1}`, v]])))
      : {};
    return {
      order_id: idValue(s.orderId),
      sub_order_id: idValue(s.subOrderId),
      parent_order_number: idValue(s.orderId),
      tracking_id: s.trackingId ? (names.get(s.trackingId) ?? null) : null,
      order_status: LABELS[s.status],
      order_type: 'Global order',
      order_platform: 'other',
      is_new_buyer: s.isNewBuyer ? 'Y' : 'N',
      is_hot_product: click?.linkType === 'hot' ? 'Y' : 'N',
      is_affiliate_product: s.rateBp > 0n ? 'Y' : 'N',
      commission_rate: formatBasisPoints(Number(s.rateBp)),
      paid_amount: Number(paid),
      finished_amount: finished ? Number(paid) : 0,
      estimated_paid_commission: Number(s.commissionMinor),
      estimated_finished_commission: Number(s.settledMinor ?? (finished ? s.commissionMinor : 0n)),
      new_buyer_bonus_commission: s.isNewBuyer ? null : 0,
      settled_currency: s.settlementCurrency,
      created_time: platformTime(s.createdAt),
      paid_time: platformTime(s.paidAt),
      finished_time: platformTime(s.confirmedAt),
      completed_settlement_time: platformTime(s.settledAt),
      custom_parameters: Object.keys(subs).length > 0 ? JSON.stringify(subs) : null,
      product_id: idValue(s.productId),
      product_title: product?.title ?? null,
      product_count: Number(s.quantity),
      category_id: product ? idValue(product.categoryId) : null,
      ship_to_country: s.shipToCountry,
      // Not AliExpress fields: affnet's fraud review (docs/open-api.md). While held the
      // order keeps its status and its commission stays estimated.
      is_held: s.holdReason !== null ? 'Y' : 'N',
      hold_reason: s.holdReason,
    };
  });
}
