import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { WebSession } from '../../auth/sessions.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { fxRatesInForce } from '../../fx/list-fx-rates.js';
import { setFxRate } from '../../fx/set-fx-rate.js';
import { getSettings } from '../../settings/get-settings.js';
import { scheduledSettingChanges } from '../../settings/scheduled-changes.js';
import { updateSettings } from '../../settings/update-settings.js';
import { emptyForm, type FormState, field, formMessage, formValues, parseForm } from '../forms.js';
import { operatorOf } from '../guards.js';
import { html } from '../html.js';
import { csrfField } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { effectiveDay } from './inputs.js';
import { SETTING_FIELDS, SETTING_GROUPS, settingInput } from './program-fields.js';
import { readSettingsForm, settingsFormValues } from './program-form.js';
import { consolePage, noticeFor, when } from './view.js';

const NOTICES = {
  saved: 'Settings saved; they apply from now on.',
  scheduled: 'Settings saved; they take effect on the day shown under “Scheduled changes”.',
  unchanged: 'Nothing was changed: every value was already in force.',
  fx: 'Exchange rate recorded.',
};

const fxForm = z.object({
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'three letters, e.g. EUR'),
  rate: z
    .string()
    .trim()
    .regex(/^\d{1,12}(\.\d{1,12})?$/, 'a positive decimal, e.g. 1.0850'),
  effectiveAt: z
    .string()
    .trim()
    .max(16)
    .optional()
    .transform((text, c) => {
      if (!text) return undefined;
      const at = new Date(`${text.length === 10 ? `${text}T00:00` : text}:00.000Z`);
      if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(text) || Number.isNaN(at.getTime())) {
        c.addIssue('a day (YYYY-MM-DD) or a day and time in UTC (YYYY-MM-DDTHH:MM)');
        return z.NEVER;
      }
      return at;
    }),
});

/** GET|POST /console/program, POST /console/program/fx — program settings and exchange rates. */
export function programPages(web: FastifyInstance, ctx: Ctx): void {
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    operator: WebSession,
    forms: { settings?: FormState; fx?: FormState; status?: number } = {},
  ) => {
    const now = ctx.clock.now();
    const settings = await getSettings(ctx.db, now);
    const [rates, scheduled] = await Promise.all([
      fxRatesInForce(ctx.db, settings.settlementCurrency, now),
      scheduledSettingChanges(ctx.db, now),
    ]);
    const state = forms.settings ?? { values: settingsFormValues(settings), errors: {} };
    const fx = forms.fx ?? emptyForm;
    const labels = new Map(SETTING_FIELDS.map((f) => [f.key as string, f.label]));
    return sendHtml(
      reply,
      consolePage(
        request,
        operator,
        { title: 'Program', active: 'program', notice: noticeFor(request.query, NOTICES) },
        html`<h1>Program settings</h1>
<section class="panel" aria-labelledby="h-settings">
<h2 id="h-settings">Settings in force</h2>
<form method="post" action="/console/program" novalidate>
${csrfField(request.webCsrf)}
${formMessage(state)}
${SETTING_GROUPS.map((g) => html`<fieldset class="group"><legend>${g.title}</legend>${g.fields.map((f) => settingInput(f, state))}</fieldset>`)}
${field('effectiveFrom', 'Effective from (UTC day)', state, { type: 'date', hint: 'Empty: from now. A later day schedules the change; only the values you edit are recorded.' })}
<button type="submit">Save settings</button>
</form>
</section>
${
  scheduled.length > 0
    ? html`<h2>Scheduled changes</h2><div class="table-wrap" role="region" aria-label="Scheduled changes" tabindex="0"><table><thead><tr><th>Setting</th><th>New value</th><th>From</th><th>By</th></tr></thead><tbody>${scheduled.map(
        (c) =>
          html`<tr><td>${labels.get(c.key) ?? c.key}</td><td><code>${c.valueJson}</code></td><td>${when(c.effectiveFrom)}</td><td>${c.changedBy ?? '—'}</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
<section class="panel" aria-labelledby="h-fx">
<h2 id="h-fx">Exchange rates into ${settings.settlementCurrency}</h2>
${
  rates.length > 0
    ? html`<div class="table-wrap" role="region" aria-label="Exchange rates" tabindex="0"><table><thead><tr><th>Currency</th><th class="num">Rate</th><th>In force since</th></tr></thead><tbody>${rates.map(
        (r) =>
          html`<tr><td>${r.currency}</td><td class="num">${r.rate}</td><td>${when(r.effectiveAt)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">No exchange rates yet: orders in other currencies wait for one.</p>`
}
<form method="post" action="/console/program/fx#h-fx" novalidate>
${csrfField(request.webCsrf)}
${formMessage(fx)}
<div class="row">
${field('currency', 'Currency', fx, { hint: 'e.g. EUR', required: true })}
${field('rate', `Value of 1 unit in ${settings.settlementCurrency}`, fx, { inputmode: 'decimal', required: true })}
${field('effectiveAt', 'In force from (UTC)', fx, { hint: 'Empty: now. May be in the past.' })}
</div>
<button type="submit">Record rate</button>
</form>
</section>`,
      ),
      forms.status ?? 200,
    );
  };

  // GET /console/program — the settings form and the exchange rates
  web.get('/console/program', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    return show(request, reply, operator);
  });

  // POST /console/program — change settings: all valid, or nothing changes
  web.post('/console/program', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const values = formValues(request.body);
    const now = ctx.clock.now();
    const { changed, errors } = readSettingsForm(values, await getSettings(ctx.db, now));
    const from = effectiveDay(now).safeParse(values.effectiveFrom);
    if (!from.success) errors.effectiveFrom = from.error.issues[0]?.message ?? 'not a day';
    const refuse = (message: string) =>
      show(request, reply, operator, { settings: { values, errors, message }, status: 422 });
    if (Object.keys(errors).length > 0)
      return refuse('Nothing was changed: correct the fields marked below.');
    if (Object.keys(changed).length === 0)
      return seeOther(reply, '/console/program?done=unchanged');
    const effectiveFrom = from.success ? from.data : undefined;
    try {
      await updateSettings(ctx, {
        values: changed,
        changedBy: operator.email,
        ...(effectiveFrom ? { effectiveFrom } : {}),
      });
    } catch (error) {
      if (isAppError(error)) return refuse(`Nothing was changed: ${error.message}`);
      throw error;
    }
    return seeOther(reply, `/console/program?done=${effectiveFrom ? 'scheduled' : 'saved'}`);
  });

  // POST /console/program/fx — record an exchange rate into the settlement currency
  web.post('/console/program/fx', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const form = parseForm(fxForm, request.body);
    if (!form.ok) return show(request, reply, operator, { fx: form.state, status: 422 });
    const { currency, rate, effectiveAt } = form.data;
    try {
      await setFxRate(ctx, { currency, rate, ...(effectiveAt ? { effectiveAt } : {}) });
    } catch (error) {
      if (!isAppError(error)) throw error;
      const name =
        error.code === 'unknown_currency' || /settlement currency/.test(error.message)
          ? 'currency'
          : 'rate';
      const fx = { values: form.values, errors: { [name]: error.message } };
      return show(request, reply, operator, { fx, status: 422 });
    }
    return seeOther(reply, '/console/program?done=fx');
  });
}
