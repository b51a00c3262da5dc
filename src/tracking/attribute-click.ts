import { findAffiliate } from '../affiliates/queries.js';
import type { Db } from '../db/types.js';
import { getSettings } from '../settings/get-settings.js';
import type { ProgramSettings } from '../settings/schema.js';

export type AttributedClick = {
  id: string;
  clickedAt: string;
  linkId: string;
  affiliateId: string;
  trackingId: string;
  subs: (string | null)[];
  /** A click through a hot link earns the hot-product rate where one is set. */
  linkType: 'normal' | 'hot';
};

export type Attribution =
  | { attributed: true; click: AttributedClick; ageSeconds: number; windowDays: number }
  | {
      attributed: false;
      reason:
        | 'unknown_click'
        | 'bot_click'
        | 'click_after_payment'
        | 'expired'
        | 'affiliate_not_approved';
      explanation: string;
    };

/**
 * Whether an order paid at `paidAt` belongs to the affiliate behind a click: the click must
 * exist, come from a person, precede the payment, fall inside the attribution window in
 * force at payment, and belong to an approved affiliate. Otherwise the reason says why not.
 */
export async function attributeClick(
  db: Db,
  clickId: string,
  paidAt: Date,
  /** The settings in force at paidAt, when the caller has them (a batch of orders). */
  settings?: Pick<ProgramSettings, 'attributionWindowDays'>,
): Promise<Attribution> {
  const row = await db
    .selectFrom('clicks')
    .leftJoin('links', 'links.id', 'clicks.link_id')
    .selectAll('clicks')
    .select('links.type as link_type')
    .where('clicks.id', '=', clickId.toLowerCase())
    .executeTakeFirst();
  if (!row)
    return {
      attributed: false,
      reason: 'unknown_click',
      explanation: `no click ${clickId} was recorded`,
    };
  if (row.is_bot === 1n) {
    return {
      attributed: false,
      reason: 'bot_click',
      explanation: 'the click came from a crawler or a script, not a person',
    };
  }
  const ageMs = paidAt.getTime() - Date.parse(row.clicked_at);
  if (ageMs < 0) {
    return {
      attributed: false,
      reason: 'click_after_payment',
      explanation: `the click (${row.clicked_at}) came after the payment`,
    };
  }
  const { attributionWindowDays } = settings ?? (await getSettings(db, paidAt));
  if (ageMs > attributionWindowDays * 86_400_000) {
    const days = (ageMs / 86_400_000).toFixed(1);
    return {
      attributed: false,
      reason: 'expired',
      explanation: `the click was ${days} days before the payment; the attribution window is ${attributionWindowDays} days`,
    };
  }
  const affiliate = await findAffiliate(db, row.affiliate_id);
  if (affiliate?.status !== 'approved') {
    return {
      attributed: false,
      reason: 'affiliate_not_approved',
      explanation: `the affiliate is ${affiliate?.status ?? 'gone'}`,
    };
  }
  return {
    attributed: true,
    click: {
      id: row.id,
      clickedAt: row.clicked_at,
      linkId: row.link_id,
      affiliateId: row.affiliate_id,
      trackingId: row.tracking_id,
      subs: [row.sub1, row.sub2, row.sub3, row.sub4, row.sub5],
      linkType: row.link_type ?? 'normal',
    },
    ageSeconds: Math.floor(ageMs / 1000),
    windowDays: attributionWindowDays,
  };
}
