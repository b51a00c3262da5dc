import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { WebSession } from '../../auth/sessions.js';
import type { Ctx } from '../../context.js';
import {
  listPayoutBatches,
  listPayoutRuns,
  withdrawalsAwaitingFile,
  withdrawalTotals,
} from '../../payouts/operator-queries.js';
import { type PayoutRunSummary, previousPeriod, runPayouts } from '../../payouts/run-payouts.js';
import { periodText } from '../../payouts/schema.js';
import { loadSettingsTimeline } from '../../settings/settings-timeline.js';
import { type FormState, field, formMessage, parseForm } from '../forms.js';
import { operatorOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { bankFilesSection, type ImportRefusal } from './bank-files-view.js';
import { amount, consolePage, noticeFor, when, withdrawalBadge } from './view.js';

const periodForm = z.object({ period: z.string().trim().pipe(periodText) });

export type PayoutsView = {
  run?: FormState;
  preview?: PayoutRunSummary;
  exportForm?: FormState;
  refusal?: ImportRefusal;
  status?: number;
};

const NOTICES = {
  run: (q: Record<string, string>) =>
    `Payout run ${periodText.safeParse(q.period).success ? q.period : ''} done: see it under “Payout runs”.`,
  exported: 'Bank file created: download it under “Bank files”.',
  nothing: 'No withdrawals were waiting for that rail: no file was created.',
  imported: (q: Record<string, string>) => {
    const n = (k: string) => (/^\d{1,9}$/.test(q[k] ?? '') ? q[k] : '0');
    return `Bank results applied: ${n('succeeded')} paid, ${n('failed')} failed, ${n('returned')} returned, ${n('unchanged')} imported before.`;
  },
};

function previewPanel(csrf: string, s: PayoutRunSummary): Html {
  return html`<section class="panel" aria-labelledby="h-preview">
<h2 id="h-preview">Dry run for ${s.period}: nothing has been paid yet</h2>
<dl class="facts wrap">
<dt>Would pay</dt><dd>${s.paid} affiliates, ${amount(s.paidMinor, s.currency)} (fees ${amount(s.feesMinor, s.currency)})</dd>
<dt>By SEPA / wire / manual</dt><dd>${s.byRail.sepa} / ${s.byRail.wire} / ${s.byRail.manual}</dd>
<dt>Paid before for ${s.period}</dt><dd>${s.alreadyPaid}</dd>
<dt>Below the minimum</dt><dd>${s.belowMinimum}</dd>
<dt>Candidates</dt><dd>${s.candidates}</dd>
</dl>
<form method="post" action="/console/payouts/run">
${csrfField(csrf)}
<input type="hidden" name="period" value="${s.period}">
<button type="submit">Run the payout for ${s.period}</button>
</form>
</section>`;
}

/** The payouts page, with a preview, or the forms' states after a refused post. */
export async function showPayouts(
  ctx: Ctx,
  request: FastifyRequest,
  reply: FastifyReply,
  operator: WebSession,
  view: PayoutsView = {},
): Promise<FastifyReply> {
  const [runs, totals, awaiting, batches, timeline] = await Promise.all([
    listPayoutRuns(ctx.db, 12),
    withdrawalTotals(ctx.db),
    withdrawalsAwaitingFile(ctx.db),
    listPayoutBatches(ctx.db, 20),
    loadSettingsTimeline(ctx.db),
  ]);
  // A run pays in the settlement currency in force when it started.
  const runCurrency = (startedAt: string) => timeline.at(new Date(startedAt)).settlementCurrency;
  const run = view.run ?? { values: { period: previousPeriod(ctx.clock.now()) }, errors: {} };
  return sendHtml(
    reply,
    consolePage(
      request,
      operator,
      { title: 'Payouts', active: 'payouts', notice: noticeFor(request.query, NOTICES) },
      html`<h1>Payouts</h1>
${view.preview ? previewPanel(request.webCsrf, view.preview) : ''}
<section class="panel" aria-labelledby="h-run">
<h2 id="h-run">Monthly payout run</h2>
<p>Pays every approved affiliate with auto-withdraw on the balance settled by the end of the month. A month is paid once per affiliate: running it again pays only who was missed.</p>
<form method="get" action="/console/payouts/preview" class="row" novalidate>
${formMessage(run)}
${field('period', 'Month (YYYY-MM)', run, { required: true, placeholder: 'YYYY-MM' })}
<div class="field"><button type="submit">Preview (dry run)</button></div>
</form>
</section>
<h2>Payout runs</h2>
${
  runs.length === 0
    ? html`<p class="muted">No payout run yet.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Payout runs" tabindex="0"><table><thead><tr><th>Month</th><th>Started</th><th>Finished</th><th class="num">Withdrawals</th><th class="num">Total</th></tr></thead><tbody>${runs.map(
        (r) =>
          html`<tr><td>${r.period}</td><td>${when(r.startedAt)}</td><td>${r.finishedAt ? when(r.finishedAt) : 'not finished'}</td><td class="num">${r.withdrawals}</td><td class="num">${amount(r.totalMinor, runCurrency(r.startedAt))}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>Withdrawals</h2>
${
  totals.length === 0
    ? html`<p class="muted">No withdrawals yet.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Withdrawals by state" tabindex="0"><table><thead><tr><th>State</th><th class="num">Count</th><th class="num">Amount (fees included)</th></tr></thead><tbody>${totals.map(
        (t) =>
          html`<tr><td>${withdrawalBadge(t.state)}</td><td class="num">${t.count}</td><td class="num">${amount(t.amountMinor, t.currency)}</td></tr>`,
      )}</tbody></table></div>`
}
<p><a class="button secondary" href="/console/exports/withdrawals.csv" download>Download all withdrawals (CSV)</a></p>
${bankFilesSection(request.webCsrf, { awaiting, batches, exportForm: view.exportForm, refusal: view.refusal })}`,
    ),
    view.status ?? 200,
  );
}

/** GET /console/payouts, GET …/preview, POST …/run — the monthly run, previewed first. */
export function payoutPages(web: FastifyInstance, ctx: Ctx): void {
  // GET /console/payouts — runs, withdrawals, bank files
  web.get('/console/payouts', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    return showPayouts(ctx, request, reply, operator);
  });

  // GET /console/payouts/preview?period=YYYY-MM — a dry run: what the run would pay; writes nothing
  web.get('/console/payouts/preview', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const form = parseForm(periodForm, request.query);
    if (!form.ok)
      return showPayouts(ctx, request, reply, operator, { run: form.state, status: 422 });
    const preview = await runPayouts(ctx, form.data.period, { dryRun: true });
    const run = { values: form.values, errors: {} };
    return showPayouts(ctx, request, reply, operator, { run, preview });
  });

  // POST /console/payouts/run — the payout run for a month (idempotent by affiliate and month)
  web.post('/console/payouts/run', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const form = parseForm(periodForm, request.body);
    if (!form.ok)
      return showPayouts(ctx, request, reply, operator, { run: form.state, status: 422 });
    await runPayouts(ctx, form.data.period);
    return seeOther(reply, `/console/payouts?done=run&period=${form.data.period}`);
  });
}
