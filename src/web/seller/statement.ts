import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { formatMoney, money } from '../../money.js';
import { sellerStatement } from '../../sellers/seller-statement.js';
import { sellerStatementCsv } from '../../sellers/seller-statement-csv.js';
import { queryText } from '../console/inputs.js';
import { when, withQuery } from '../console/view.js';
import { sellerOf } from '../guards.js';
import { html } from '../html.js';
import { errorPage, sendHtml } from '../plugin.js';
import { csvAttachment } from './report-range.js';
import { sellerPage } from './view.js';

const PAGE_SIZE = 100;
const amount = (minor: bigint, currency: string) => formatMoney(money(minor, currency));

/** GET /seller/statement (+ .csv) — what settlement released to the seller, with a running balance. */
export function statementPages(web: FastifyInstance, ctx: Ctx): void {
  const currencyOf = (query: unknown) => {
    const c = queryText(query, 'currency', 3);
    return c && /^[A-Z]{3}$/.test(c) ? c : undefined;
  };

  // GET /seller/statement — one page of the statement
  web.get('/seller/statement', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    const currency = currencyOf(request.query);
    const after = queryText(request.query, 'after', 200);
    let statement: Awaited<ReturnType<typeof sellerStatement>>;
    try {
      statement = await sellerStatement(ctx, seller.sellerId, {
        ...(currency ? { currency } : {}),
        ...(after ? { after } : {}),
        limit: PAGE_SIZE,
      });
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      return sendHtml(
        reply,
        errorPage(request, 'That statement could not be read', error.message),
        error.status,
      );
    }
    const c = statement.currency;
    return sendHtml(
      reply,
      sellerPage(
        request,
        seller,
        { title: 'Statement', active: 'statement' },
        html`<h1>Statement</h1>
<p>For each settled order: the sale, the commission paid to the affiliate, and the amount released to you (your payable account in the ledger); a refund after settlement is a correction. Balance now: <strong>${amount(statement.balanceMinor, c)}</strong>.</p>
<p><a class="button secondary" href="${withQuery('/seller/statement.csv', { currency })}">Download (CSV)</a></p>
${
  statement.lines.length === 0
    ? html`<p class="muted">Nothing released yet: amounts are released when an order settles.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Statement" tabindex="0"><table><thead><tr><th>When</th><th>Order</th><th>Product</th><th>Kind</th><th class="num">Sale</th><th class="num">Commission</th><th class="num">Released</th><th class="num">Balance</th></tr></thead><tbody>${statement.lines.map(
        (l) =>
          html`<tr><td>${when(l.at)}</td><td><code>${l.orderId}</code></td><td><code>${l.productId}</code></td><td>${l.kind}</td><td class="num">${amount(l.saleMinor, l.currency)}</td><td class="num">${amount(l.commissionMinor, l.currency)}</td><td class="num">${amount(l.amountMinor, l.currency)}</td><td class="num">${amount(l.balanceMinor, l.currency)}</td></tr>`,
      )}</tbody></table></div>`
}
<nav class="row" aria-label="Pages">${after ? html`<a class="button secondary" href="${withQuery('/seller/statement', { currency })}">First page</a>` : ''}${statement.next ? html`<a class="button secondary" href="${withQuery('/seller/statement', { currency, after: statement.next })}">Next</a>` : ''}</nav>`,
      ),
    );
  });

  // GET /seller/statement.csv — the whole statement as CSV
  web.get('/seller/statement.csv', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    const currency = currencyOf(request.query);
    try {
      const chunks = await sellerStatementCsv(ctx, seller.sellerId, currency ? { currency } : {});
      return csvAttachment(reply, 'seller-statement.csv').send(Readable.from(chunks));
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      return sendHtml(
        reply,
        errorPage(request, 'That export could not be made', error.message),
        error.status,
      );
    }
  });
}
