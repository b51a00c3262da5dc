import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { formatBasisPoints } from '../../money.js';
import {
  applyRatesImport,
  previewRatesImport,
  type RatesPreview,
} from '../../sellers/import-rates.js';
import { MAX_RATES_FILE_BYTES, type RowProblem } from '../../sellers/rates-file.js';
import { storable } from '../console/inputs.js';
import { noticeFor, when } from '../console/view.js';
import { formValues } from '../forms.js';
import { type SellerSession, sellerOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';
import { readMultipartBodies, type Upload } from '../multipart-body.js';
import { seeOther, sendHtml } from '../plugin.js';
import { sellerPage } from './view.js';

const NOTICES = {
  applied: (q: Record<string, string>) =>
    `Rates file applied: ${/^\d+$/.test(q.applied ?? '') ? q.applied : 'its'} rules written.`,
};
const CHANGES: Record<string, string> = {
  new: 'new rate',
  raise: 'raised',
  lower: 'lowered',
  unchanged: 'unchanged',
};

type Shown = {
  text?: string;
  preview?: RatesPreview;
  refusal?: { message: string; problems: readonly RowProblem[] };
  status?: number;
};

/** The import page: the text box, and after a post its preview or the file's bad lines. */
function showImport(
  request: FastifyRequest,
  reply: FastifyReply,
  seller: SellerSession,
  shown: Shown = {},
): FastifyReply {
  const csrf = csrfField(request.webCsrf);
  const preview: Html = shown.preview
    ? html`<section class="panel" aria-labelledby="h-preview">
<h2 id="h-preview">Preview: nothing is changed yet</h2>
<p>${shown.preview.totals.rows} rows: ${shown.preview.totals.new} new, ${shown.preview.totals.raise} raised, ${shown.preview.totals.lower} lowered, ${shown.preview.totals.unchanged} unchanged.</p>
<div class="table-wrap" role="region" aria-label="Preview" tabindex="0"><table><thead><tr><th class="num">Line</th><th>Product</th><th class="num">Rate now</th><th class="num">New rate</th><th>From</th><th>Change</th></tr></thead><tbody>${shown.preview.rows
        .slice(0, 500)
        .map(
          (r) =>
            html`<tr><td class="num">${r.line}</td><td><code>${r.productId}</code></td><td class="num">${r.currentRateBp === null ? '—' : formatBasisPoints(r.currentRateBp)}</td><td class="num">${formatBasisPoints(r.newRateBp)}</td><td>${when(r.effectiveFrom)}</td><td>${CHANGES[r.change] ?? r.change}</td></tr>`,
        )}</tbody></table></div>
${shown.preview.rows.length > 500 ? html`<p class="muted">The first 500 rows are shown.</p>` : ''}
<form method="post" action="/seller/import/apply" enctype="multipart/form-data">${csrf}<input type="hidden" name="rates" value="${shown.text ?? ''}"><button type="submit">Apply these rates</button> <a href="/seller/import">Cancel</a></form>
</section>`
    : html``;
  const refusal: Html = shown.refusal
    ? html`<div class="form-error" role="alert"><p>${shown.refusal.message}</p>${
        shown.refusal.problems.length > 0
          ? html`<ul>${shown.refusal.problems
              .slice(0, 200)
              .map(
                (p) =>
                  html`<li>Line ${p.line}${p.field ? html` (<code>${p.field}</code>)` : ''}: ${p.reason}</li>`,
              )}</ul>`
          : ''
      }</div>`
    : html``;
  return sendHtml(
    reply,
    sellerPage(
      request,
      seller,
      { title: 'Import rates', active: 'import', notice: noticeFor(request.query, NOTICES) },
      html`<h1>Import product rates</h1>
<p>A CSV file with the header <code>product_id,rate_bp,effective_from</code>: one product of your stores a line, its rate in basis points (1250 = 12.5%), and an optional future date (<code>YYYY-MM-DD</code> or an ISO time; empty: from when it is applied). You see what changes before anything is applied; one bad row refuses the whole file (at most 5 MiB; larger: <code>affnet seller rates import</code> or the seller API).</p>
${preview}
<form class="panel" method="post" action="/seller/import/preview" enctype="multipart/form-data" novalidate>
${csrf}
${refusal}
<div class="field"><label for="f-file">Rates file (CSV)</label><input id="f-file" name="file" type="file" accept=".csv,text/csv"></div>
<div class="field"><label for="f-rates">Or paste it</label><textarea id="f-rates" name="rates" rows="10" spellcheck="false" placeholder="product_id,rate_bp,effective_from">${shown.preview || (shown.text?.length ?? 0) > 64 * 1024 ? '' : (shown.text ?? '')}</textarea></div>
<button type="submit">Preview</button>
</form>`,
    ),
    shown.status ?? 200,
  );
}

/** GET /seller/import — the rates file form. */
export function importPage(web: FastifyInstance): void {
  web.get('/seller/import', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    return showImport(request, reply, seller);
  });
}

/** An uploaded file as the upload hook leaves it in the body: its text, or undefined when too big. */

/** The posted file's text: the uploaded file if one was chosen, else the pasted text. */
function postedText(body: unknown): { text: string; tooBig: boolean } {
  const file = (body as { file?: unknown } | undefined)?.file as Upload | undefined;
  if (file && typeof file === 'object' && file.filename)
    return { text: file.text ?? '', tooBig: file.text === undefined };
  const text = formValues(body).rates ?? '';
  return { text, tooBig: Buffer.byteLength(text, 'utf8') > MAX_RATES_FILE_BYTES };
}

/**
 * POST /seller/import/preview|apply — the rates file, previewed, then applied. Sent as
 * multipart/form-data (a file, or the pasted text; up to MAX_RATES_FILE_BYTES): the parser
 * lives in this child scope only and fills the body before the CSRF check reads `_csrf`.
 * A url-encoded form (up to the scope's 64 KiB) is read as well.
 */
export async function importUploads(web: FastifyInstance, ctx: Ctx): Promise<void> {
  await web.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: {
      fileSize: MAX_RATES_FILE_BYTES,
      files: 1,
      fields: 4,
      parts: 5,
      fieldSize: MAX_RATES_FILE_BYTES,
    },
  });
  readMultipartBodies(web);

  /** Reads the posted file, runs `act`, and shows its refusal (every bad line) on the page. */
  const withFile =
    (
      act: (
        request: FastifyRequest,
        reply: FastifyReply,
        seller: SellerSession,
        text: string,
      ) => Promise<FastifyReply>,
    ) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const seller = sellerOf(request, reply);
      if (!seller) return reply;
      const { text, tooBig } = postedText(request.body);
      const refuse = (message: string, problems: readonly RowProblem[] = []) =>
        showImport(request, reply, seller, { text, refusal: { message, problems }, status: 422 });
      if (tooBig)
        return refuse(
          `The file is over ${MAX_RATES_FILE_BYTES / 1024 / 1024} MiB: split it, or use the CLI.`,
        );
      if (text.trim() === '') return refuse('Choose the rates file, or paste it, first.');
      if (!storable(text)) return refuse('That is not a text file.');
      try {
        return await act(request, reply, seller, text);
      } catch (error) {
        if (!isAppError(error) || error.code !== 'invalid_rates_file') throw error;
        const problems = Array.isArray(error.details) ? (error.details as RowProblem[]) : [];
        return refuse(`The file was refused: ${error.message}`, problems);
      }
    };

  // POST /seller/import/preview — what the file would change, nothing written
  web.post(
    '/seller/import/preview',
    withFile(async (request, reply, seller, text) => {
      const preview = await previewRatesImport(ctx, seller.sellerId, text);
      return showImport(request, reply, seller, { text, preview });
    }),
  );

  // POST /seller/import/apply — apply the previewed file in one transaction
  web.post(
    '/seller/import/apply',
    withFile(async (_request, reply, seller, text) => {
      const done = await applyRatesImport(ctx, seller.sellerId, text);
      return seeOther(reply, `/seller/import?done=applied&applied=${done.applied}`);
    }),
  );
}
