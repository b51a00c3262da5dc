import type { FastifyInstance } from 'fastify';
import { countAffiliatesByStatus } from '../../affiliates/queries.js';
import { affiliateStatuses } from '../../affiliates/schema.js';
import type { Ctx } from '../../context.js';
import { auditLedger } from '../../ledger/audit-ledger.js';
import { countSubOrdersByStatus, subOrderStatuses } from '../../orders/operator-orders.js';
import { listPayoutRuns, withdrawalTotals } from '../../payouts/operator-queries.js';
import { operatorOf } from '../guards.js';
import { html } from '../html.js';
import { sendHtml } from '../plugin.js';
import { amount, badge, card, consolePage, SUB_ORDER_LABELS, when } from './view.js';

/** GET /console — the program at a glance: who is waiting, what is owed, whether the ledger holds. */
export function overviewPage(web: FastifyInstance, ctx: Ctx): void {
  web.get('/console', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const [affiliates, subOrders, withdrawals, runs, audit] = await Promise.all([
      countAffiliatesByStatus(ctx.db),
      countSubOrdersByStatus(ctx.db),
      withdrawalTotals(ctx.db),
      listPayoutRuns(ctx.db, 1),
      auditLedger(ctx.db),
    ]);
    const processing = withdrawals.filter((w) => w.state === 'processing');
    const lastRun = runs[0];
    const balanced = audit.violations.length === 0;
    return sendHtml(
      reply,
      consolePage(
        request,
        operator,
        { title: 'Overview', active: 'console' },
        html`<h1>Program overview</h1>
<section aria-labelledby="h-affiliates">
<h2 id="h-affiliates">Affiliates</h2>
<div class="cards">${affiliateStatuses.map((s) => card(s, affiliates[s], `/console/affiliates?status=${s}`))}</div>
</section>
<section aria-labelledby="h-orders">
<h2 id="h-orders">Sub-orders</h2>
<div class="cards">${subOrderStatuses.map((s) => card(SUB_ORDER_LABELS[s], subOrders[s], `/console/orders?status=${s}`))}</div>
</section>
<section aria-labelledby="h-payouts">
<h2 id="h-payouts">Payouts</h2>
<div class="cards">
${card(
  'withdrawals processing',
  processing.reduce((n, w) => n + w.count, 0),
  '/console/payouts',
)}
${processing.map((w) => card(`in transit, ${w.currency}`, amount(w.amountMinor, w.currency)))}
</div>
<p>${
          lastRun
            ? html`Last payout run: <strong>${lastRun.period}</strong>, ${lastRun.withdrawals} withdrawals, ${lastRun.finishedAt ? html`finished ${when(lastRun.finishedAt)}` : html`${badge('not finished', 'wait')} (started ${when(lastRun.startedAt)})`}.`
            : 'No payout run yet.'
        } <a href="/console/payouts">Payouts</a></p>
</section>
<section class="panel" aria-labelledby="h-ledger">
<h2 id="h-ledger">Ledger</h2>
<p>${balanced ? badge('balanced', 'ok') : badge(`${audit.violations.length} violations`, 'bad')} ${audit.transfers} transfers in ${audit.accounts} accounts. <a href="/console/ledger">Ledger audit</a></p>
</section>
<section aria-labelledby="h-sections">
<h2 id="h-sections">Sections</h2>
<ul>
<li><a href="/console/program">Program settings and exchange rates</a></li>
<li><a href="/console/affiliates">Affiliates: review, approve, suspend</a></li>
<li><a href="/console/sellers">Sellers, stores and commission plans</a></li>
<li><a href="/console/orders">Orders and how each commission was reached</a></li>
<li><a href="/console/payouts">Payout runs, bank files and results</a></li>
<li><a href="/console/ledger">Ledger audit and totals</a></li>
</ul>
</section>`,
      ),
    );
  });
}
