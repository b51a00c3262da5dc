import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../context.js';
import { toDbTime } from '../../db/time.js';
import { formatBasisPoints } from '../../money.js';
import { scheduledEnrollments } from '../../sellers/scheduled-enrollments.js';
import { assertSellerStore, getSeller, storeIdsOfSeller } from '../../sellers/seller-access.js';
import { setSellerEnrollment } from '../../sellers/seller-enrollment.js';
import { storeMembership } from '../../sellers/store-membership.js';
import { effectiveDay, pathId } from '../console/inputs.js';
import { noticeFor, when } from '../console/view.js';
import { type FormState, field, formMessage, parseForm } from '../forms.js';
import { type SellerSession, sellerOf } from '../guards.js';
import { html } from '../html.js';
import { csrfField } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { modeNote, programRules, refusal, sellerPage } from './view.js';

const NOTICES = {
  joined: 'Your store is in the program.',
  left: 'Your store left the program.',
  scheduled: 'The change is scheduled.',
};

const membershipForm = (now: Date) =>
  z.object({
    enrolled: z.enum(['yes', 'no'], { error: 'join or leave' }),
    from: effectiveDay(now),
  });

/** The overview with a refused join/leave form shown at its store. */
async function showOverview(
  ctx: Ctx,
  request: FastifyRequest,
  reply: FastifyReply,
  seller: SellerSession,
  refused?: { storeId: string; state: FormState; status: number },
): Promise<FastifyReply> {
  const now = ctx.clock.now();
  const rules = await programRules(ctx);
  const [me, storeIds] = await Promise.all([
    getSeller(ctx.db, seller.sellerId),
    storeIdsOfSeller(ctx.db, seller.sellerId),
  ]);
  const stores = await ctx.db
    .selectFrom('stores')
    .select(['id', 'name'])
    .where('seller_id', '=', seller.sellerId)
    .orderBy('id')
    .limit(200)
    .execute();
  const scheduled = (await scheduledEnrollments(ctx.db, storeIds, now)).filter(
    (e) => e.scope === 'store',
  );
  const memberships = await Promise.all(
    stores.map((s) =>
      storeMembership(ctx.db, s.id, now, {
        minStayDays: rules.minStayDays,
        minAwayDays: rules.minAwayDays,
      }),
    ),
  );
  const storeCard = (store: { id: string; name: string }, i: number) => {
    const m = memberships[i] as Awaited<ReturnType<typeof storeMembership>>;
    const state = refused?.storeId === store.id ? refused.state : { values: {}, errors: {} };
    const may = m.mayChangeFrom && m.mayChangeFrom > toDbTime(now) ? m.mayChangeFrom : null;
    return html`<section class="panel" aria-labelledby="h-${store.id}">
<h2 id="h-${store.id}">${store.name}</h2>
<p>Store <code>${store.id}</code> · <a href="/seller/products?store=${store.id}">its products</a></p>
<p>${m.enrolled ? html`<span class="status ok">In the program</span>` : html`<span class="status bad">Out of the program</span>`}${m.since ? html` since ${when(m.since)}` : ' (never joined)'}.</p>
${
  may
    ? html`<p>It may ${m.enrolled ? 'leave' : 'rejoin'} from <strong>${when(may)}</strong> (${m.enrolled ? `${rules.minStayDays} days in` : `${rules.minAwayDays} days out`}).</p>`
    : html`<p class="muted">It may ${m.enrolled ? 'leave' : 'join'} now.</p>`
}
${scheduled
  .filter((e) => e.storeId === store.id)
  .map(
    (e) =>
      html`<p class="status wait">Scheduled: ${e.enrolled ? 'joins' : 'leaves'} the program on ${when(e.effectiveFrom)}.</p>`,
  )}
<form method="post" action="/seller/stores/${store.id}/membership" novalidate>
${csrfField(request.webCsrf)}
${formMessage(state)}
${field('from', 'From (UTC day)', state, { type: 'date', hint: 'Empty: now.' })}
<p class="row">${
      m.enrolled
        ? html`<button type="submit" name="enrolled" value="no" class="secondary">Leave the program</button>`
        : html`<button type="submit" name="enrolled" value="yes">Join the program</button>`
    }</p>
</form>
</section>`;
  };
  return sendHtml(
    reply,
    sellerPage(
      request,
      seller,
      { title: 'Seller center', active: 'overview', notice: noticeFor(request.query, NOTICES) },
      html`<h1>${me.name}</h1>
${modeNote(rules, formatBasisPoints)}
<p class="muted">A store stays in the program at least ${rules.minStayDays} days after it joins, and out at least ${rules.minAwayDays} days after it leaves.</p>
${storeIds.length === 0 ? html`<p>You have no stores yet: the operator adds them.</p>` : html`<div class="grid2">${stores.map(storeCard)}</div>`}`,
    ),
    refused?.status ?? 200,
  );
}

/** GET /seller, POST /seller/stores/:storeId/membership — the seller's stores, in or out. */
export function overviewPages(web: FastifyInstance, ctx: Ctx): void {
  // GET /seller — the seller's stores and their place in the program
  web.get('/seller', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    return showOverview(ctx, request, reply, seller);
  });

  // POST /seller/stores/:storeId/membership — the whole store joins or leaves, now or later
  web.post<{ Params: { storeId: string } }>(
    '/seller/stores/:storeId/membership',
    async (request, reply) => {
      const seller = sellerOf(request, reply);
      if (!seller) return reply;
      const { storeId } = request.params;
      await assertSellerStore(ctx.db, seller.sellerId, pathId(storeId, 'store_not_found', 'store'));
      const form = parseForm(membershipForm(ctx.clock.now()), request.body);
      if (!form.ok)
        return showOverview(ctx, request, reply, seller, {
          storeId,
          state: form.state,
          status: 422,
        });
      const { enrolled, from } = form.data;
      try {
        await setSellerEnrollment(ctx, seller.sellerId, {
          storeId,
          scope: 'store',
          enrolled: enrolled === 'yes',
          ...(from ? { effectiveFrom: from } : {}),
        });
      } catch (error) {
        const refused = refusal(error, form.values, (code) =>
          code === 'effective_date_in_past' ? 'from' : undefined,
        );
        if (refused.status === 404) throw error;
        return showOverview(ctx, request, reply, seller, { storeId, ...refused });
      }
      return seeOther(
        reply,
        `/seller?done=${from ? 'scheduled' : enrolled === 'yes' ? 'joined' : 'left'}`,
      );
    },
  );
}
