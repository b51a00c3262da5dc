import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BankAccount } from '../../affiliates/bank-accounts.js';
import { setBankAccount } from '../../affiliates/bank-accounts.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { type FormState, field, formMessage, parseForm } from '../forms.js';
import { affiliateOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { csrfField, page } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';

const bankForm = z.object({
  holderName: z.string().trim().min(2, 'the account holder, as the bank knows them').max(140),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'two letters, e.g. DE'),
  iban: z.string().trim().max(64).optional(),
  bic: z.string().trim().max(16).optional(),
});

/** The current payout account (masked), its flag if the bank refused it, and the form to set one. */
export function bankAccountSection(
  csrf: string,
  account: BankAccount | undefined,
  state: FormState,
): Html {
  return html`<section class="panel" aria-labelledby="bank"><h2 id="bank">Bank account</h2>
${
  account
    ? html`<p>${account.holderName} · ${account.accountMasked}${account.bic ? ` · ${account.bic}` : ''}</p>${
        account.status === 'needs_update'
          ? html`<p class="form-error" role="alert">Needs a new account: ${account.flagReason ?? 'the bank refused a transfer'}.</p>`
          : ''
      }`
    : html`<p class="muted">No bank account yet: set one to withdraw.</p>`
}
<form method="post" action="/payouts/bank-account" novalidate>
${csrfField(csrf)}
${formMessage(state)}
${field('holderName', 'Account holder', state, { autocomplete: 'name' })}
${field('iban', 'IBAN', state, { autocomplete: 'off' })}
${field('bic', 'BIC (optional)', state)}
${field('country', 'Country of the account', state, { hint: 'Two letters.' })}
<button type="submit">${account ? 'Replace the account' : 'Save the account'}</button>
</form></section>`;
}

/** POST /payouts/bank-account — set the payout account (the old one is kept, replaced). */
export function bankAccountPages(web: FastifyInstance, ctx: Ctx): void {
  web.post('/payouts/bank-account', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const show = (state: FormState, status: number) =>
      sendHtml(
        reply,
        page(
          { title: 'Bank account', session, csrf: request.webCsrf, active: 'payouts' },
          html`<h1>Bank account</h1>${bankAccountSection(request.webCsrf, undefined, state)}`,
        ),
        status,
      );
    const form = parseForm(bankForm, request.body);
    if (!form.ok) return show(form.state, 422);
    if (!form.data.iban)
      return show({ values: form.values, errors: { iban: 'enter your IBAN' } }, 422);
    try {
      await setBankAccount(ctx, session.affiliateId, {
        iban: form.data.iban,
        ...(form.data.bic ? { bic: form.data.bic } : {}),
        holderName: form.data.holderName,
        country: form.data.country,
      });
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      const on =
        error.code === 'invalid_iban' ? 'iban' : error.code === 'invalid_bic' ? 'bic' : undefined;
      return show(
        {
          values: form.values,
          errors: on ? { [on]: error.message } : {},
          message: on ? undefined : error.message,
        },
        error.status,
      );
    }
    return seeOther(reply, '/payouts?done=bank');
  });
}
