import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentBankAccount } from '../../affiliates/payout-accounts.js';
import { getAffiliate } from '../../affiliates/queries.js';
import { type AffiliateStatus, affiliateStatuses } from '../../affiliates/schema.js';
import { setAffiliateStatus, statusTransitions } from '../../affiliates/set-affiliate-status.js';
import type { WebSession } from '../../auth/sessions.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { getBalances } from '../../payouts/balances.js';
import { listWithdrawals } from '../../payouts/queries.js';
import { emptyForm, type FormState, formMessage, parseForm, textArea } from '../forms.js';
import { operatorOf } from '../guards.js';
import { html } from '../html.js';
import { csrfField } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { pathId, storable } from './inputs.js';
import {
  affiliateBadge,
  amount,
  badge,
  card,
  consolePage,
  noticeFor,
  when,
  withdrawalBadge,
} from './view.js';

const statusForm = z
  .object({
    status: z.enum(affiliateStatuses, { error: 'choose an action' }),
    reason: z
      .string()
      .trim()
      .max(500, 'at most 500 characters')
      .refine(storable, 'remove the NUL character')
      .optional(),
  })
  .superRefine((form, c) => {
    if ((form.status === 'suspended' || form.status === 'banned') && !form.reason)
      c.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'say why: the affiliate reads this reason',
      });
  });

const NOTICES = {
  approved: 'The affiliate is approved: they can make links and earn.',
  suspended: 'The affiliate is suspended.',
  banned: 'The affiliate is banned.',
};

/** What each move is called on its button. */
function actionLabel(from: AffiliateStatus, to: AffiliateStatus): string {
  if (to === 'approved') return from === 'pending' ? 'Approve' : 'Reinstate';
  return to === 'suspended' ? 'Suspend' : 'Ban';
}

/** GET /console/affiliates/:id, POST …/status — one affiliate, their money, and their status. */
export function affiliatePage(web: FastifyInstance, ctx: Ctx): void {
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    operator: WebSession,
    id: string,
    state: FormState = emptyForm,
    status = 200,
  ) => {
    const a = await getAffiliate(ctx.db, id);
    const [balances, account, withdrawals] = await Promise.all([
      getBalances(ctx, id),
      currentBankAccount(ctx.db, id),
      listWithdrawals(ctx.db, id, { limit: 10 }),
    ]);
    const c = balances.currency;
    const moves = statusTransitions[a.status];
    return sendHtml(
      reply,
      consolePage(
        request,
        operator,
        { title: a.email, active: 'affiliates', notice: noticeFor(request.query, NOTICES) },
        html`<p><a href="/console/affiliates">← Affiliates</a></p>
<h1>${a.email}</h1>
<section class="panel"><dl class="facts wrap">
<dt>Status</dt><dd>${affiliateBadge(a.status)}</dd>
<dt>Reason</dt><dd>${a.statusReason ?? '—'}</dd>
<dt>Affiliate id</dt><dd><code>${a.id}</code></dd>
<dt>Country</dt><dd>${a.country}</dd>
<dt>Website</dt><dd class="wrap"><a href="${a.websiteUrl}" rel="noopener noreferrer nofollow">${a.websiteUrl}</a></dd>
<dt>Joined</dt><dd>${when(a.createdAt)}</dd>
</dl></section>
<section class="panel" aria-labelledby="h-status">
<h2 id="h-status">Change status</h2>
${formMessage(state)}
${
  moves.length === 0
    ? html`<p>A banned affiliate stays banned.</p>`
    : html`<form method="post" action="/console/affiliates/${encodeURIComponent(a.id)}/status#h-status" novalidate>
${csrfField(request.webCsrf)}
${textArea('reason', 'Reason (the affiliate reads it)', state, { rows: 2, hint: 'Needed to suspend or ban.' })}
<p class="row">${moves.map(
        (to) =>
          html`<button type="submit" name="status" value="${to}"${to === 'banned' ? html` class="danger"` : to === 'suspended' ? html` class="secondary"` : ''}>${actionLabel(a.status, to)}</button>`,
      )}</p>
</form>`
}
</section>
<h2>Balances</h2>
<div class="cards">
${card('estimated', amount(balances.estimatedMinor, c))}
${card('available', amount(balances.availableMinor, c))}
${card('in transit', amount(balances.inTransitMinor, c))}
${card('paid out', amount(balances.paidOutMinor, c))}
${balances.negativeCarryMinor > 0n ? card('negative carry', amount(balances.negativeCarryMinor, c)) : ''}
</div>
<h2>Bank account</h2>
${
  account
    ? html`<p>${account.kind === 'iban' ? 'IBAN' : 'Account'} <code>${account.accountMasked}</code>, ${account.holderName}, ${account.country} ${account.status === 'needs_update' ? badge(`needs update: ${account.flagReason ?? 'refused by the bank'}`, 'bad') : badge('active', 'ok')}</p>`
    : html`<p class="muted">No payout bank account yet.</p>`
}
<h2>Recent withdrawals</h2>
${
  withdrawals.length === 0
    ? html`<p class="muted">None yet.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Recent withdrawals" tabindex="0"><table><thead><tr><th>Requested</th><th>State</th><th class="num">Amount</th><th class="num">Fee</th><th>Source</th><th>Bank's reason</th></tr></thead><tbody>${withdrawals.map(
        (w) =>
          html`<tr><td>${when(w.requestedAt)}</td><td>${withdrawalBadge(w.state)}</td><td class="num">${amount(w.amountMinor, w.currency)}</td><td class="num">${amount(w.feeMinor, w.currency)}</td><td>${w.source === 'payout_run' ? `payout run ${w.period ?? ''}` : 'request'}</td><td>${[w.reasonCode, w.reasonText].filter(Boolean).join(': ') || '—'}</td></tr>`,
      )}</tbody></table></div>`
}`,
      ),
      status,
    );
  };

  // GET /console/affiliates/:id — one affiliate
  web.get<{ Params: { id: string } }>('/console/affiliates/:id', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    return show(
      request,
      reply,
      operator,
      pathId(request.params.id, 'affiliate_not_found', 'affiliate'),
    );
  });

  // POST /console/affiliates/:id/status — approve, suspend, reinstate or ban, with a reason
  web.post<{ Params: { id: string } }>('/console/affiliates/:id/status', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const { id } = request.params;
    const form = parseForm(statusForm, request.body);
    if (!form.ok) return show(request, reply, operator, id, form.state, 422);
    try {
      await setAffiliateStatus(ctx, id, form.data.status, form.data.reason || undefined);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'invalid_status_transition') throw error;
      const state = { values: form.values, errors: {}, message: error.message };
      return show(request, reply, operator, id, state, error.status);
    }
    return seeOther(
      reply,
      `/console/affiliates/${encodeURIComponent(id)}?done=${form.data.status}`,
    );
  });
}
