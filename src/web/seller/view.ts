import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { getSettings } from '../../settings/get-settings.js';
import type { FormState } from '../forms.js';
import type { SellerSession } from '../guards.js';
import { type Html, html } from '../html.js';
import { page } from '../layout.js';

/** A seller-center page: the seller's frame (its navigation, the log-out form) around the content. */
export function sellerPage(
  request: FastifyRequest,
  seller: SellerSession,
  frame: { title: string; active: string; notice?: string | undefined },
  content: Html,
): Html {
  return page({ ...frame, session: seller, csrf: request.webCsrf }, content);
}

/** What the program lets sellers do now: the mode, the bounds, the least times in and out. */
export async function programRules(ctx: Ctx) {
  const settings = await getSettings(ctx.db, ctx.clock.now());
  return {
    sellerRates: settings.commissionMode === 'seller_rates',
    mode: settings.commissionMode,
    minBp: settings.sellerRateMinBp,
    maxBp: settings.sellerRateMaxBp,
    minStayDays: settings.sellerMinStayDays,
    minAwayDays: settings.sellerMinAwayDays,
  };
}

/** The line that says which rates apply: the seller's own, or the operator's category table. */
export function modeNote(
  rules: Awaited<ReturnType<typeof programRules>>,
  percent: (bp: number) => string,
): Html {
  return rules.sellerRates
    ? html`<p class="muted">The program is in <strong>seller rates</strong> mode: you set your rates, between ${percent(rules.minBp)} and ${percent(rules.maxBp)}.</p>`
    : html`<p class="notice" role="note">The program is in <strong>fixed category</strong> mode: the operator’s category table sets every rate, so the rate controls below are read-only. You can still enroll and withdraw.</p>`;
}

/**
 * A service refusal as a form state: the message next to the field it is about, or above
 * the form. Anything that is not an AppError is rethrown (a 500 logged by the error handler).
 */
export function refusal(
  error: unknown,
  values: Record<string, string>,
  fieldOf: (code: string) => string | undefined,
): { state: FormState; status: number } {
  if (!isAppError(error)) throw error;
  const name = fieldOf(error.code);
  const state: FormState = name
    ? { values, errors: { [name]: error.message } }
    : { values, errors: {}, message: error.message };
  return { state, status: error.status };
}

export type Shown = Promise<FastifyReply>;
