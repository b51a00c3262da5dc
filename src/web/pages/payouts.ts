import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { currentBankAccount } from '../../affiliates/payout-accounts.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { formatMoney, money, parseDecimalAmount } from '../../money.js';
import { getBalances } from '../../payouts/balances.js';
import { listWithdrawals } from '../../payouts/queries.js';
import { quoteWithdrawal, requestWithdrawal } from '../../payouts/request-withdrawal.js';
import type { Withdrawal } from '../../payouts/schema.js';
import {
  emptyForm,
  type FormState,
  field,
  formMessage,
  formValues,
  noticeOf,
  parseForm,
} from '../forms.js';
import { type AffiliateSession, affiliateOf } from '../guards.js';
import { html } from '../html.js';
import { csrfField, page } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { bankAccountSection } from './bank-account.js';

const NOTICES: Record<string, string> = {
  withdrawal: 'Withdrawal requested: it leaves in the next bank file.',
  bank: 'Bank account saved.',
};
const TONE: Record<Withdrawal['state'], string> = {
  processing: 'wait',
  succeeded: 'ok',
  failed: 'bad',
  returned: 'bad',
};
const confirmForm = z.object({
  amountMinor: z.string().regex(/^\d{1,18}$/),
  idempotencyKey: z.string().uuid(),
});

/**
 * GET /payouts, POST /payouts/quote, POST /payouts/withdraw — every state of the
 * affiliate's money, a withdrawal with its fee shown before it is confirmed, and the history
 * with the bank's reason for each failure.
 */
export function payoutPages(web: FastifyInstance, ctx: Ctx): void {
  const show = async (
    csrf: string,
    session: AffiliateSession,
    state: FormState,
    notice?: string,
  ) => {
    const b = await getBalances(ctx, session.affiliateId);
    const m = (minor: bigint) => formatMoney(money(minor, b.currency));
    const history = await listWithdrawals(ctx.db, session.affiliateId, { limit: 50 });
    const account = await currentBankAccount(ctx.db, session.affiliateId);
    return page(
      { title: 'Payouts', session, csrf, active: 'payouts', notice },
      html`<h1>Payouts</h1>
<div class="cards">
<div class="card"><span class="label">Available</span><span class="value" data-balance="available">${m(b.availableMinor)}</span></div>
<div class="card"><span class="label">Estimated (not settled yet)</span><span class="value">${m(b.estimatedMinor)}</span></div>
<div class="card"><span class="label">In transit to your bank</span><span class="value">${m(b.inTransitMinor)}</span></div>
<div class="card"><span class="label">Paid out</span><span class="value">${m(b.paidOutMinor)}</span><span class="label">of which fees ${m(b.feesPaidMinor)}</span></div>
${b.negativeCarryMinor > 0n ? html`<div class="card"><span class="label">To net against future earnings</span><span class="value">${m(b.negativeCarryMinor)}</span></div>` : ''}
</div>
<div class="grid2">
<section class="panel"><h2>Withdraw</h2>
<form method="post" action="/payouts/quote" novalidate>
${csrfField(csrf)}
${formMessage(state)}
${field('amount', `Amount (${b.currency})`, state, { inputmode: 'decimal', hint: `Up to ${m(b.availableMinor)}. You see the fee before you confirm.` })}
<button type="submit">See the fee</button>
</form></section>
${bankAccountSection(csrf, account, emptyForm)}
</div>
<h2>History</h2>
<p><a href="/exports/withdrawals.csv" download>All withdrawals (CSV)</a></p>
${
  history.length === 0
    ? html`<p class="panel muted">No withdrawals yet.</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>Requested</th><th class="num">Amount</th><th class="num">Fee</th><th class="num">To your bank</th><th>State</th><th>Details</th></tr></thead><tbody>${history.map(
        (w) =>
          html`<tr><td>${w.requestedAt.slice(0, 10)}</td><td class="num">${m(w.amountMinor)}</td><td class="num">${m(w.feeMinor)}</td><td class="num">${m(w.netMinor)}</td><td><span class="status ${TONE[w.state]}">${w.stateLabel}</span></td><td>${
            w.reasonText
              ? html`<strong>${w.reasonCode}</strong> ${w.reasonText}. The amount and the fee are back in your available balance.`
              : w.succeededAt
                ? html`Paid ${w.succeededAt.slice(0, 10)}`
                : w.sentAt
                  ? html`Sent to the bank ${w.sentAt.slice(0, 10)}`
                  : html`<span class="muted">Waiting for the next bank file</span>`
          }</td></tr>`,
      )}</tbody></table></div>`
}`,
    );
  };

  // GET /payouts — balances, withdraw, bank account, history
  web.get('/payouts', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const done = formValues(request.query).done;
    return sendHtml(
      reply,
      await show(request.webCsrf, session, emptyForm, noticeOf(NOTICES, done)),
    );
  });

  // POST /payouts/quote — the fee and the net amount, and a button to confirm
  web.post('/payouts/quote', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const values = formValues(request.body);
    const { currency } = await getBalances(ctx, session.affiliateId);
    const amountMinor = parseDecimalAmount(values.amount ?? '', currency);
    const refuse = (message: string, status: number) =>
      show(request.webCsrf, session, { values, errors: { amount: message } }).then((p) =>
        sendHtml(reply, p, status),
      );
    if (amountMinor === undefined || amountMinor === 0n)
      return refuse(`an amount such as 25.00, in ${currency}`, 422);
    try {
      const q = await quoteWithdrawal(ctx, session.affiliateId, amountMinor);
      const m = (minor: bigint) => formatMoney(money(minor, q.currency));
      return sendHtml(
        reply,
        page(
          { title: 'Confirm the withdrawal', session, csrf: request.webCsrf, active: 'payouts' },
          html`<section class="panel narrow"><h1>Confirm the withdrawal</h1>
<dl class="facts"><dt>From your balance</dt><dd>${m(q.amountMinor)}</dd><dt>Fee</dt><dd>${m(q.feeMinor)}</dd><dt>To your bank</dt><dd><strong>${m(q.netMinor)}</strong></dd><dt>Account</dt><dd>${q.bankAccount} (${q.rail})</dd></dl>
<p class="muted">If the bank refuses the transfer, the amount and the fee come back to your balance.</p>
<form method="post" action="/payouts/withdraw">${csrfField(request.webCsrf)}<input type="hidden" name="amountMinor" value="${q.amountMinor.toString()}"><input type="hidden" name="idempotencyKey" value="${randomUUID()}">
<p class="row"><button type="submit">Withdraw ${m(q.amountMinor)}</button> <a class="button secondary" href="/payouts">Cancel</a></p></form></section>`,
        ),
      );
    } catch (error) {
      if (isAppError(error) && error.status < 500) return refuse(error.message, error.status);
      throw error;
    }
  });

  // POST /payouts/withdraw — confirm; sending the same form twice withdraws once
  web.post('/payouts/withdraw', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const form = parseForm(confirmForm, request.body);
    if (!form.ok)
      return sendHtml(
        reply,
        await show(request.webCsrf, session, {
          values: {},
          errors: {},
          message: 'That confirmation is not valid; start again.',
        }),
        422,
      );
    try {
      await requestWithdrawal(ctx, {
        affiliateId: session.affiliateId,
        amountMinor: BigInt(form.data.amountMinor),
        idempotencyKey: form.data.idempotencyKey,
      });
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      return sendHtml(
        reply,
        await show(request.webCsrf, session, { values: {}, errors: {}, message: error.message }),
        error.status,
      );
    }
    return seeOther(reply, '/payouts?done=withdrawal');
  });
}
