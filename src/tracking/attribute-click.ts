import { sql } from 'kysely';
import { affiliateStatuses } from '../affiliates/queries.js';
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
 * What attribution needs to know of a stored click: the click, its link's type, its
 * affiliate's status; and what the fraud signals read (its visitor's hash, whether it
 * carried a referrer), which the stored attribution leaves out.
 */
export type ClickFacts = AttributedClick & {
  isBot: boolean;
  affiliateStatus: string | undefined;
  ipHash: string;
  hasReferrer: boolean;
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
  const facts = (await loadClickFacts(db, [clickId])).get(clickId.toLowerCase());
  const { attributionWindowDays } = settings ?? (await getSettings(db, paidAt));
  return judgeClick(clickId, facts, paidAt, attributionWindowDays);
}

/**
 * The facts of many clicks in three statements (the clicks, their links, their affiliates), keyed by the lower-case click id; an unknown id is absent.
 */
export async function loadClickFacts(
  db: Db,
  clickIds: readonly string[],
): Promise<Map<string, ClickFacts>> {
  const ids = [...new Set(clickIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('clicks')
    .select([
      'id',
      'clicked_at',
      'link_id',
      'affiliate_id',
      'tracking_id',
      'sub1',
      'sub2',
      'sub3',
      'sub4',
      'sub5',
      'is_bot',
      'ip_hash',
      sql<number>`case when referrer is null then 0 else 1 end`.as('has_referrer'),
    ])
    .where('id', 'in', ids)
    .execute();
  if (rows.length === 0) return new Map();
  const links = await db
    .selectFrom('links')
    .select(['id', 'type'])
    .where('id', 'in', [...new Set(rows.map((r) => r.link_id))])
    .execute();
  const linkTypes = new Map(links.map((link) => [link.id, link.type]));
  const statuses = await affiliateStatuses(db, [...new Set(rows.map((r) => r.affiliate_id))]);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        clickedAt: row.clicked_at,
        linkId: row.link_id,
        affiliateId: row.affiliate_id,
        trackingId: row.tracking_id,
        subs: [row.sub1, row.sub2, row.sub3, row.sub4, row.sub5],
        isBot: row.is_bot === 1n,
        linkType: linkTypes.get(row.link_id) ?? 'normal',
        affiliateStatus: statuses.get(row.affiliate_id),
        ipHash: row.ip_hash,
        hasReferrer: Number(row.has_referrer) === 1,
      },
    ]),
  );
}

/** The attribution of a payment at `paidAt` to a click, given the click's facts (pure). */
export function judgeClick(
  clickId: string,
  facts: ClickFacts | undefined,
  paidAt: Date,
  attributionWindowDays: number,
): Attribution {
  if (!facts)
    return {
      attributed: false,
      reason: 'unknown_click',
      explanation: `no click ${clickId} was recorded`,
    };
  if (facts.isBot) {
    return {
      attributed: false,
      reason: 'bot_click',
      explanation: 'the click came from a crawler or a script, not a person',
    };
  }
  const ageMs = paidAt.getTime() - Date.parse(facts.clickedAt);
  if (ageMs < 0) {
    return {
      attributed: false,
      reason: 'click_after_payment',
      explanation: `the click (${facts.clickedAt}) came after the payment`,
    };
  }
  if (ageMs > attributionWindowDays * 86_400_000) {
    const days = (ageMs / 86_400_000).toFixed(1);
    return {
      attributed: false,
      reason: 'expired',
      explanation: `the click was ${days} days before the payment; the attribution window is ${attributionWindowDays} days`,
    };
  }
  if (facts.affiliateStatus !== 'approved') {
    return {
      attributed: false,
      reason: 'affiliate_not_approved',
      explanation: `the affiliate is ${facts.affiliateStatus ?? 'gone'}`,
    };
  }
  const {
    isBot: _bot,
    affiliateStatus: _status,
    ipHash: _visitor,
    hasReferrer: _referrer,
    ...click
  } = facts;
  return {
    attributed: true,
    click,
    ageSeconds: Math.floor(ageMs / 1000),
    windowDays: attributionWindowDays,
  };
}
