import type { Ctx } from '../context.js';
import { listFlags } from '../fraud/list-flags.js';
import type { FlagView } from '../fraud/schema.js';
import { ulid } from '../lib/ulid.js';
import { ingestEvent } from '../orders/ingest-event.js';
import type { ClickEvent } from '../tracking/click.js';
import { UniqueWindow } from '../tracking/unique-window.js';
import { writeClickBatch } from '../tracking/write-click-batch.js';
import type { TestContext } from './context.js';
import { seedLink } from './tracking.js';

/** An approved affiliate, a product at 8 % and a click on the affiliate's link `minutesAgo` ago. */
export async function seedClickedProduct(
  ctx: Ctx,
  options: { minutesAgo?: number; subs?: ClickEvent['subs'] } = {},
) {
  const seeded = await seedLink(ctx);
  const { clickId, trackingRowId } = await seedClick(ctx, seeded.link.code, options);
  return { ...seeded, clickId, trackingRowId };
}

/** A person's click on a link (by code) `minutesAgo` before now, with these sub-ids. */
export async function seedClick(
  ctx: Ctx,
  linkCode: string,
  options: {
    minutesAgo?: number;
    /** Seconds ago, when more precise than minutes. */
    secondsAgo?: number;
    subs?: ClickEvent['subs'];
    country?: string;
    /** The visitor (default: a new one per click). */
    ipHash?: string;
    referrer?: string | null;
  } = {},
): Promise<{ clickId: string; trackingRowId: string }> {
  const link = await ctx.db
    .selectFrom('links')
    .select(['id', 'affiliate_id', 'tracking_id'])
    .where('code', '=', linkCode)
    .executeTakeFirstOrThrow();
  const at = new Date(
    ctx.clock.now().getTime() -
      (options.secondsAgo !== undefined
        ? options.secondsAgo * 1000
        : (options.minutesAgo ?? 60) * 60_000),
  );
  const clickId = ulid(at.getTime());
  await writeClickBatch(ctx, new UniqueWindow(), [
    {
      id: clickId,
      clickedAt: at.toISOString(),
      linkId: link.id,
      affiliateId: link.affiliate_id,
      trackingId: link.tracking_id,
      subs: options.subs ?? [null, null, null, null, null],
      ipHash: options.ipHash ?? `visitor-${clickId}`,
      userAgent: null,
      referrer: options.referrer ?? null,
      country: options.country ?? null,
      isBot: false,
    },
  ]);
  return { clickId, trackingRowId: link.tracking_id };
}

let sequence = 0;

/** An event envelope with a fresh id (or the one given), created now. */
export function event(ctx: Ctx, type: string, data: Record<string, unknown>, id?: string) {
  sequence += 1;
  return {
    id: id ?? `evt-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    type,
    created_at: ctx.clock.now().toISOString(),
    data,
  };
}

/** An order.paid of `quantity` × the product at 19.99 USD, as sub-order `<order>-1`. */
export function paidEvent(
  ctx: Ctx,
  input: {
    orderId: string;
    productId: string;
    clickId?: string | null;
    quantity?: number;
    unitPriceMinor?: number;
    currency?: string;
    buyerId?: string;
    subOrders?: number;
  },
) {
  const count = input.subOrders ?? 1;
  return event(ctx, 'order.paid', {
    order_id: input.orderId,
    sub_orders: Array.from({ length: count }, (_, i) => ({
      sub_order_id: `${input.orderId}-${i + 1}`,
      product_id: input.productId,
      quantity: input.quantity ?? 2,
      unit_price_minor: input.unitPriceMinor ?? 1999,
      currency: input.currency ?? 'USD',
    })),
    buyer_id: input.buyerId ?? 'buyer-1',
    is_new_buyer: false,
    ship_to_country: 'DE',
    shipping_method: 'DHL',
    click_id: input.clickId ?? null,
    paid_at: ctx.clock.now().toISOString(),
  });
}

/** Ingests and insists on acceptance. */
export async function accept(ctx: Ctx, raw: unknown) {
  const outcome = await ingestEvent(ctx, raw);
  if (outcome.status !== 'accepted') throw new Error(`event refused: ${JSON.stringify(outcome)}`);
  return outcome;
}

/**
 * `seeded`'s product bought `afterMs` (2 s) after its click (click injection): the order is paid and
 * held for review. Returns its open flag.
 */
export async function payFlaggedOrder(
  ctx: TestContext,
  seeded: { product: { productId: string }; clickId: string; affiliate: { id: string } },
  orderId: string,
  afterMs = 2000,
): Promise<FlagView> {
  ctx.clock.advance(afterMs);
  await accept(
    ctx,
    paidEvent(ctx, { orderId, productId: seeded.product.productId, clickId: seeded.clickId }),
  );
  const flags = await listFlags(ctx.db, { affiliate_id: seeded.affiliate.id });
  const flag = flags.find((f) => f.orderId === orderId);
  if (!flag) throw new Error(`order ${orderId} was not flagged`);
  return flag;
}
