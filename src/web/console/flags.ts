import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { affiliateEmails } from '../../affiliates/queries.js';
import type { WebSession } from '../../auth/sessions.js';
import type { Ctx } from '../../context.js';
import type { SubOrderStatus } from '../../db/types.js';
import { isAppError } from '../../errors.js';
import { listFlags } from '../../fraud/list-flags.js';
import { invalidateFlag, releaseFlag } from '../../fraud/resolve-flag.js';
import { type FlagView, MAX_NOTE_CHARS } from '../../fraud/schema.js';
import { FRAUD_SIGNALS, type FraudSignal, SIGNAL_WORDS } from '../../fraud/signals.js';
import { emptyForm, type FormState, formMessage, parseForm, textArea } from '../forms.js';
import { operatorOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { pathId, queryText, storable } from './inputs.js';
import {
  amount,
  badge,
  consolePage,
  noticeFor,
  SUB_ORDER_LABELS,
  tabs,
  when,
  withQuery,
} from './view.js';

const PAGE = 50;

const decisionForm = z
  .object({
    decision: z.enum(['release', 'invalidate'], { error: 'choose release or invalidate' }),
    note: z
      .string()
      .trim()
      .max(MAX_NOTE_CHARS, `at most ${MAX_NOTE_CHARS} characters`)
      .refine(storable, 'remove the NUL character')
      .optional(),
  })
  .superRefine((form, c) => {
    if (form.decision === 'invalidate' && !form.note)
      c.addIssue({
        code: 'custom',
        path: ['note'],
        message: "say why: the order's commission is voided on it",
      });
  });

const NOTICES = {
  released:
    'Flag released: the commission settles at the next job run once due (if no other flag holds it).',
  invalidated: 'Order invalidated: its estimated commission is voided, and the affiliate sees why.',
};

type Filter = { signal: FraudSignal | undefined; affiliate: string | undefined; all: boolean };

function filterOf(query: unknown): Filter & { before: string | undefined } {
  const signalText = queryText(query, 'signal', 40);
  return {
    signal: FRAUD_SIGNALS.find((s) => s === signalText),
    affiliate: queryText(query, 'affiliate', 64) || undefined,
    all: queryText(query, 'state', 10) === 'all',
    before: queryText(query, 'before', 64) || undefined,
  };
}

function link(f: Filter, change: Partial<Filter> & { before?: string }): string {
  const next = { ...f, ...change };
  return withQuery('/console/flags', {
    state: next.all ? 'all' : undefined,
    signal: next.signal,
    affiliate: next.affiliate,
    before: change.before,
  });
}

/** GET /console/flags, POST /console/flags/:id — the fraud flags, and the operator's review of each. */
export function flagPages(web: FastifyInstance, ctx: Ctx): void {
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    operator: WebSession,
    failed?: { flagId: string; state: FormState; status: number },
  ) => {
    const f = filterOf(request.query);
    const flags = await listFlags(ctx.db, {
      open: !f.all,
      limit: PAGE,
      ...(f.signal ? { signal: f.signal } : {}),
      ...(f.affiliate ? { affiliate_id: f.affiliate } : {}),
      ...(f.before ? { before: f.before } : {}),
    });
    const emails = await affiliateEmails(
      ctx.db,
      flags.map((x) => x.affiliateId),
    );
    const last = flags.at(-1);
    // A refusal that no open row can show (a flag resolved meanwhile, no decision chosen).
    const alert = failed && (failed.state.message ?? failed.state.errors.decision);
    const review = (flag: FlagView): Html => {
      if (flag.resolution)
        return html`${badge(flag.resolution, flag.resolution === 'released' ? 'ok' : 'bad')}<br><span class="muted">${when(flag.resolvedAt)} by ${flag.resolvedBy ?? '—'}</span>${flag.note ? html`<br>${flag.note}` : ''}`;
      const state = failed?.flagId === flag.id ? failed.state : emptyForm;
      return html`<form method="post" action="/console/flags/${encodeURIComponent(flag.id)}${withQuery('', { state: f.all ? 'all' : undefined, signal: f.signal, affiliate: f.affiliate })}" novalidate>
${csrfField(request.webCsrf)}
${formMessage(state)}
${textArea('note', 'Note', state, { rows: 2, hint: 'Needed to invalidate.' })}
<p class="row"><button type="submit" name="decision" value="release" class="secondary">Release</button><button type="submit" name="decision" value="invalidate" class="danger">Invalidate order</button></p>
</form>`;
    };
    return sendHtml(
      reply,
      consolePage(
        request,
        operator,
        { title: 'Fraud flags', active: 'flags', notice: noticeFor(request.query, NOTICES) },
        html`<h1>Fraud flags</h1>
<p class="muted">An order that raises a fraud signal at payment is held: its commission stays estimated and does not settle until each of its flags is released. Invalidating voids it. Thresholds are in <a href="/console/program">Program</a>.</p>
${tabs('State', [
  { href: link(f, { all: false }), text: 'Open', current: !f.all },
  { href: link(f, { all: true }), text: 'All', current: f.all },
])}
${tabs('Signal', [
  { href: link(f, { signal: undefined }), text: 'Every signal', current: !f.signal },
  ...FRAUD_SIGNALS.map((s) => ({
    href: link(f, { signal: s }),
    text: SIGNAL_WORDS[s],
    current: f.signal === s,
  })),
])}
${alert ? html`<p class="error" role="alert">${alert}</p>` : ''}
${f.affiliate ? html`<p>Affiliate <code>${f.affiliate}</code> only. <a href="${link(f, { affiliate: undefined })}">Every affiliate</a></p>` : ''}
${
  flags.length === 0
    ? html`<p class="muted">No ${f.all ? '' : 'open '}flags${f.before ? ' on this page' : ''}.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Fraud flags" tabindex="0"><table>
<thead><tr><th>Raised</th><th>Order</th><th>Affiliate</th><th>Signal and reason</th><th class="num">At stake</th><th>Review</th></tr></thead>
<tbody>${flags.map(
        (flag) => html`<tr id="${flag.id}">
<td>${when(flag.createdAt)}<br><span class="muted">${flag.id}</span></td>
<td><a href="/console/orders/${encodeURIComponent(flag.orderId)}">${flag.orderId}</a>${flag.subOrderId ? html`<br><span class="muted">${flag.subOrderId}</span>` : ''}</td>
<td><a href="/console/affiliates/${encodeURIComponent(flag.affiliateId)}">${emails.get(flag.affiliateId) ?? flag.affiliateId}</a><br><a class="muted" href="${link(f, { affiliate: flag.affiliateId })}">only this affiliate</a></td>
<td><strong>${flag.words}</strong><br>${flag.reason}</td>
<td class="num">${flag.order ? html`${amount(flag.order.commissionMinor, flag.order.currency)}<br><span class="muted">${flag.order.statuses.map((st) => SUB_ORDER_LABELS[st as SubOrderStatus] ?? st).join(', ')}</span>` : '—'}</td>
<td>${review(flag)}</td>
</tr>`,
      )}</tbody></table></div>`
}
<p class="row">${f.before ? html`<a class="button secondary" href="${link(f, {})}">Newest</a>` : ''}${
          flags.length === PAGE && last
            ? html`<a class="button secondary" href="${link(f, { before: last.id })}">Older</a>`
            : ''
        }</p>`,
      ),
      failed?.status ?? 200,
    );
  };

  web.get('/console/flags', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    return show(request, reply, operator);
  });

  // POST /console/flags/:id — release the flag, or invalidate its order (a note required)
  web.post<{ Params: { id: string } }>('/console/flags/:id', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const flagId = pathId(request.params.id, 'flag_not_found', 'flag');
    const form = parseForm(decisionForm, request.body);
    if (!form.ok) return show(request, reply, operator, { flagId, state: form.state, status: 422 });
    const input = { flagId, operator: operator.email, note: form.data.note };
    try {
      if (form.data.decision === 'release') await releaseFlag(ctx, input);
      else await invalidateFlag(ctx, input);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'flag_already_resolved') throw error;
      const state = { values: form.values, errors: {}, message: error.message };
      return show(request, reply, operator, { flagId, state, status: error.status });
    }
    const f = filterOf(request.query);
    const done = form.data.decision === 'release' ? 'released' : 'invalidated';
    return seeOther(
      reply,
      withQuery('/console/flags', {
        state: f.all ? 'all' : undefined,
        signal: f.signal,
        affiliate: f.affiliate,
        done,
      }),
    );
  });
}
