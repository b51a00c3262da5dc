import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.js';
import { auditLedger } from '../../ledger/audit-ledger.js';
import type { LedgerAccountKind } from '../../ledger/schema.js';
import { ledgerTotals } from '../../ledger/totals.js';
import { operatorOf } from '../guards.js';
import { html } from '../html.js';
import { sendHtml } from '../plugin.js';
import { amount, badge, consolePage } from './view.js';

const KINDS: Record<LedgerAccountKind, string> = {
  affiliate: "Affiliates' balances",
  commission_expense: 'Commission expense (program)',
  marketplace_sales: "Buyers' payments held for sellers (program)",
  seller_payable: 'Payable to sellers',
  withdrawal_fees: 'Withdrawal fees (program)',
  payouts_in_transit: 'Payouts in transit to banks',
};

/** GET /console/ledger — the audit `affnet ledger audit` runs, and the totals per kind of account. */
export function ledgerPage(web: FastifyInstance, ctx: Ctx): void {
  web.get('/console/ledger', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const [audit, totals] = await Promise.all([auditLedger(ctx.db), ledgerTotals(ctx.db)]);
    const balanced = audit.violations.length === 0;
    return sendHtml(
      reply,
      consolePage(
        request,
        operator,
        { title: 'Ledger', active: 'ledger' },
        html`<h1>Ledger</h1>
<section class="panel" aria-labelledby="h-audit">
<h2 id="h-audit">Audit ${balanced ? badge('balanced', 'ok') : badge('violations', 'bad')}</h2>
<p>${audit.transfers} transfers in ${audit.accounts} accounts. The audit checks that every transfer balances and names accounts of its currency, that each pending transfer is resolved at most once and never for more than it holds, that every sub-order's commission is booked once, that all accounts sum to zero in each currency, and that every cached balance equals the one derived from the transfers.</p>
${
  balanced
    ? html`<p>The ledger balances: debits equal credits.</p>`
    : html`<ul class="problems">${audit.violations.map((v) => html`<li class="error">${v}</li>`)}</ul>`
}
</section>
<h2>Totals by kind of account</h2>
<p>Cached balances, credits minus debits; pending transfers not yet posted or voided are shown apart.</p>
${
  totals.length === 0
    ? html`<p class="muted">The ledger is empty.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Totals by kind of account" tabindex="0"><table><thead><tr><th>Accounts</th><th class="num">Count</th><th class="num">Posted</th><th class="num">Pending</th></tr></thead><tbody>${totals.map(
        (t) =>
          html`<tr><td>${KINDS[t.kind] ?? t.kind}</td><td class="num">${t.accounts}</td><td class="num">${amount(t.creditsPosted - t.debitsPosted, t.currency)}</td><td class="num">${amount(t.creditsPending - t.debitsPending, t.currency)}</td></tr>`,
      )}</tbody></table></div>`
}`,
      ),
    );
  });
}
