import { toDbTime } from '../db/time.js';
import type { SubOrderStatus } from '../db/types.js';
import { ulidTimePrefix } from '../lib/ulid.js';
import type { OrderRollupDeltas } from '../reports/order-rollups.js';
import type { SeededRandom } from '../seed/random.js';
import type { BulkLoader, LoadTable } from './bulk-loader.js';

const DAY_MS = 86_400_000;

/** An affiliate of the benchmark data: its links (one per tracking id) and its sub1 values. */
export type Source = {
  affiliateId: string;
  links: { linkId: string; trackingId: string }[];
  sub1s: (string | null)[];
};

const col = (name: string, type: 'text' | 'bigint' = 'text') => ({ name, type });
export const texts = (...names: string[]) => names.map((n) => col(n));
export const ints = (...names: string[]) => names.map((n) => col(n, 'bigint'));
export const clicksTable: LoadTable = {
  name: 'clicks',
  columns: [
    ...texts('id', 'clicked_at', 'link_id', 'affiliate_id', 'tracking_id', 'sub1', 'sub2'),
    ...texts('sub3', 'sub4', 'sub5', 'ip_hash', 'user_agent', 'referrer', 'country'),
    ...ints('is_bot', 'is_unique'),
  ],
};
const ordersTable: LoadTable = {
  name: 'orders',
  columns: [
    ...texts('order_id', 'buyer_id', 'ship_to_country', 'shipping_method', 'click_id'),
    ...texts('affiliate_id', 'tracking_id', 'sub1', 'attribution', 'paid_at', 'created_at'),
    ...ints('is_new_buyer'),
  ],
};
const subOrdersTable: LoadTable = {
  name: 'sub_orders',
  columns: [
    ...texts('sub_order_id', 'order_id', 'affiliate_id', 'paid_at', 'product_id', 'currency'),
    ...texts('settlement_currency', 'status', 'invalid_reason', 'confirmed_at', 'due_at'),
    ...texts('settled_at', 'explanation', 'created_at'),
    ...ints('quantity', 'unit_price_minor', 'paid_minor', 'rate_bp', 'commission_minor'),
    ...ints('commission_settlement_minor', 'settled_minor'),
  ],
};
const clickCounters = ints('clicks', 'unique_clicks', 'bot_clicks');
export const clickDaily: LoadTable = {
  name: 'click_daily',
  columns: [...texts('affiliate_id', 'day', 'tracking_id', 'country'), ...clickCounters],
};
export const clickDailySub: LoadTable = {
  name: 'click_daily_sub',
  columns: [...texts('affiliate_id', 'day', 'tracking_id', 'sub1'), ...clickCounters],
};

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

/** A click id as the redirect makes them (a ULID of the click's time), from the seeded random. */
export function clickIdAt(ms: number, random: SeededRandom): string {
  let id = ulidTimePrefix(ms);
  for (let i = 0; i < 16; i += 1) id += BASE32[Math.floor(random.next() * 32)];
  return id;
}

/** A popular few and a long tail: product k is chosen about 1/(k+1) as often as the first. */
export function pickProduct(random: SeededRandom, products: { id: string; priceMinor: bigint }[]) {
  const k = Math.floor(products.length ** random.next()) - 1;
  return products[Math.max(0, Math.min(products.length - 1, k))] as (typeof products)[number];
}

export async function addOrder(
  load: BulkLoader,
  rollups: OrderRollupDeltas,
  random: SeededRandom,
  o: {
    n: number;
    clickId: string;
    source: Source;
    trackingId: string;
    sub1: string | null;
    paidMs: number;
    nowMs: number;
    product: { id: string; priceMinor: bigint };
  },
): Promise<void> {
  const orderId = `bench-${o.n}`;
  const paidAt = toDbTime(new Date(o.paidMs));
  const quantity = BigInt(random.int(1, 2));
  const paid = o.product.priceMinor * quantity;
  const rateBp = BigInt(random.int(700, 1200));
  const commission = (paid * rateBp + 5000n) / 10_000n;
  // Older orders have mostly settled; recent ones wait for receipt and settlement.
  const ageDays = (o.nowMs - o.paidMs) / DAY_MS;
  const r = random.next();
  const status: SubOrderStatus =
    ageDays >= 35
      ? r < 0.12
        ? 'invalid'
        : r < 0.18
          ? 'buyer_confirmed_receipt'
          : 'completed_settlement'
      : r < 0.06
        ? 'invalid'
        : r < 0.55
          ? 'payment_completed'
          : 'buyer_confirmed_receipt';
  const later = (days: number) => toDbTime(new Date(Math.min(o.nowMs, o.paidMs + days * DAY_MS)));
  const settled = status === 'completed_settlement';
  await load.add(ordersTable, [
    orderId,
    `buyer-${o.n % 200_000}`,
    'DE',
    'DHL',
    o.clickId,
    o.source.affiliateId,
    o.trackingId,
    o.sub1,
    '{}',
    paidAt,
    paidAt,
    0n,
  ]);
  await load.add(subOrdersTable, [
    `${orderId}-1`,
    orderId,
    o.source.affiliateId,
    paidAt,
    o.product.id,
    'USD',
    'USD',
    status,
    status === 'invalid' ? 'the order was cancelled' : null,
    settled || status === 'buyer_confirmed_receipt' ? later(20) : null,
    // Due at the expiry, 180 days after payment (the job would look again then).
    settled || status === 'invalid' ? null : toDbTime(new Date(o.paidMs + 180 * DAY_MS)),
    settled ? later(21) : null,
    '[]',
    paidAt,
    quantity,
    o.product.priceMinor,
    paid,
    rateBp,
    commission,
    commission,
    settled ? commission : null,
  ]);
  rollups.add(
    {
      affiliateId: o.source.affiliateId,
      paidAt,
      trackingId: o.trackingId,
      sub1: o.sub1,
      productId: o.product.id,
      currency: 'USD',
    },
    { status, commissionMinor: commission, settledMinor: settled ? commission : null },
  );
}
