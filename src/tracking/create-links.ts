import { createHash } from 'node:crypto';
import { getAffiliate } from '../affiliates/queries.js';
import { checkMarketplaceUrl } from '../catalog/check-marketplace-url.js';
import { findProduct } from '../catalog/queries.js';
import { rateFor } from '../catalog/rate-for.js';
import type { Ctx } from '../context.js';
import { isUniqueViolation } from '../db/connection.js';
import { toDbTime } from '../db/time.js';
import { AppError, isAppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { parseInput } from '../lib/parse-input.js';
import { getSettings } from '../settings/get-settings.js';
import { classifyUrl } from './classify-url.js';
import { toLink } from './queries.js';
import { type CreateLinksInput, createLinksInput, type Link } from './schema.js';
import { newShortCode } from './short-code.js';

const MAX_CODE_ATTEMPTS = 5;

/**
 * Tracking links for up to 50 marketplace URLs under one tracking id. The same affiliate,
 * tracking id, URL and type always get the same link. Every URL is checked before any link
 * is made: one bad URL fails the call, naming it, and nothing is written.
 */
export async function createLinks(
  ctx: Ctx,
  input: CreateLinksInput,
  baseUrl: string,
): Promise<(Link & { created: boolean })[]> {
  const request = parseInput(createLinksInput, input);
  const affiliate = await getAffiliate(ctx.db, request.affiliateId);
  if (affiliate.status !== 'approved') {
    throw new AppError(
      'affiliate_not_approved',
      `affiliate ${affiliate.id} is ${affiliate.status}: only approved affiliates make links`,
    );
  }
  const tracking = await ctx.db
    .selectFrom('tracking_ids')
    .select(['id', 'name'])
    .where('affiliate_id', '=', affiliate.id)
    .where('name', '=', request.trackingId)
    .executeTakeFirst();
  if (!tracking)
    throw new AppError(
      'tracking_id_not_found',
      `affiliate ${affiliate.id} has no tracking id ${request.trackingId}`,
    );
  const now = ctx.clock.now();
  const { marketplaceDomains } = await getSettings(ctx.db, now);

  const planned = [];
  for (const [index, raw] of request.urls.entries()) {
    try {
      const url = checkMarketplaceUrl(raw, marketplaceDomains);
      const { kind, productId } = classifyUrl(new URL(url));
      const known = productId ? await findProduct(ctx.db, productId) : undefined;
      if (request.type === 'hot') {
        const hot = known ? await rateFor(ctx.db, known.productId, now, { hot: true }) : undefined;
        if (hot?.rule.kind !== 'hot_product')
          throw new AppError(
            'not_a_hot_product',
            `${url} is not a product with a hot-product rate`,
          );
      }
      const dedupeKey = createHash('sha256')
        .update(`${affiliate.id}\n${tracking.id}\n${request.type}\n${url}`)
        .digest('hex');
      planned.push({ url, kind, productId: known?.productId ?? null, dedupeKey });
    } catch (error) {
      if (!isAppError(error)) throw error;
      const which = request.urls.length > 1 ? `URL ${index + 1} of ${request.urls.length}: ` : '';
      throw new AppError(error.code, `${which}${error.message}`);
    }
  }

  const links: (Link & { created: boolean })[] = [];
  for (const plan of planned) {
    const existing = await ctx.db
      .selectFrom('links')
      .selectAll()
      .where('dedupe_key', '=', plan.dedupeKey)
      .executeTakeFirst();
    if (existing) {
      links.push({ ...toLink(existing, request.trackingId, baseUrl), created: false });
      continue;
    }
    links.push({
      ...(await insertLink(
        ctx,
        { ...plan, affiliateId: affiliate.id, trackingRowId: tracking.id, type: request.type },
        request.trackingId,
        baseUrl,
      )),
    });
  }
  return links;
}

async function insertLink(
  ctx: Ctx,
  plan: {
    url: string;
    kind: Link['kind'];
    productId: string | null;
    dedupeKey: string;
    affiliateId: string;
    trackingRowId: string;
    type: Link['type'];
  },
  trackingName: string,
  baseUrl: string,
): Promise<Link & { created: boolean }> {
  const now = toDbTime(ctx.clock.now());
  for (let attempt = 1; ; attempt += 1) {
    const row = {
      id: newId('lnk', ctx.clock),
      code: newShortCode(),
      affiliate_id: plan.affiliateId,
      tracking_id: plan.trackingRowId,
      url: plan.url,
      kind: plan.kind,
      product_id: plan.productId,
      type: plan.type,
      dedupe_key: plan.dedupeKey,
      status: 'active' as const,
      created_at: now,
      updated_at: now,
    };
    try {
      await ctx.db.insertInto('links').values(row).execute();
      return { ...toLink(row, trackingName, baseUrl), created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Either the same link was made meanwhile (return it) or the code collided (draw again).
      const same = await ctx.db
        .selectFrom('links')
        .selectAll()
        .where('dedupe_key', '=', plan.dedupeKey)
        .executeTakeFirst();
      if (same) return { ...toLink(same, trackingName, baseUrl), created: false };
      if (attempt >= MAX_CODE_ATTEMPTS) throw error;
    }
  }
}
