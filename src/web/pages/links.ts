import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { listTrackingIds } from '../../affiliates/tracking-ids.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { createLinks } from '../../tracking/create-links.js';
import { listLinks } from '../../tracking/list-links.js';
import { type Link, MAX_LINKS_PER_CALL } from '../../tracking/schema.js';
import { emptyForm, type FormState, formMessage, parseForm, select, textArea } from '../forms.js';
import { type AffiliateSession, affiliateOf } from '../guards.js';
import { type Html, html, raw } from '../html.js';
import { csrfField, page } from '../layout.js';
import { sendHtml, type WebOptions } from '../plugin.js';

const linkForm = z.object({
  urls: z
    .string()
    .max(120_000)
    .transform((text) => text.split(/\s+/).filter(Boolean))
    .pipe(
      z
        .array(z.string().max(2048, 'a URL is at most 2,048 characters'))
        .min(1, 'paste at least one URL')
        .max(MAX_LINKS_PER_CALL, `at most ${MAX_LINKS_PER_CALL} URLs at a time`),
    ),
  trackingId: z.string().max(40).default('default'),
  type: z.enum(['normal', 'hot'], { error: 'normal or hot' }).default('normal'),
});

/** GET|POST /links — the link builder: one or many URLs in, tracking links (and QR codes) out. */
export function linkPages(web: FastifyInstance, ctx: Ctx, options: WebOptions): void {
  const show = async (
    csrf: string,
    session: AffiliateSession,
    state: FormState,
    made: Link[] = [],
  ) => {
    const trackingIds = await listTrackingIds(ctx.db, session.affiliateId);
    const recent = await listLinks(ctx.db, session.affiliateId, options.baseUrl, { limit: 20 });
    return page(
      {
        title: 'Links',
        session,
        csrf,
        active: 'links',
        notice:
          made.length > 0 ? `${made.length} link${made.length === 1 ? '' : 's'} ready` : undefined,
      },
      html`<h1>Link builder</h1>
${made.length > 0 ? html`<section class="panel" aria-labelledby="made"><h2 id="made">Your links</h2>${await Promise.all(made.map(madeLink))}</section>` : ''}
<section class="panel">
<form method="post" action="/links" novalidate>
${csrfField(csrf)}
${formMessage(state)}
${textArea('urls', 'Marketplace URLs', state, { hint: 'Product, store or search pages; one per line, up to 50.', rows: 4 })}
<div class="row">
${select(
  'trackingId',
  'Tracking id',
  trackingIds.map((t) => ({ value: t.name, label: t.name })),
  state,
)}
${select(
  'type',
  'Link type',
  [
    { value: 'normal', label: 'Normal' },
    { value: 'hot', label: 'Hot product (higher rate)' },
  ],
  state,
)}
</div>
<button type="submit">Get links</button>
</form>
</section>
<h2>Recent links</h2>
${
  recent.length === 0
    ? html`<p class="muted">No links yet.</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>Link</th><th>Destination</th><th>Tracking id</th><th>Type</th><th>Status</th></tr></thead><tbody>${recent.map(
        (l) =>
          html`<tr><td><code>${l.promotionLink}</code> <button type="button" class="secondary" data-copy="${l.promotionLink}">Copy</button></td><td class="muted">${l.url}</td><td>${l.trackingId}</td><td>${l.type}</td><td><span class="status ${l.status === 'active' ? 'ok' : 'bad'}">${l.status}</span></td></tr>`,
      )}</tbody></table></div>`
}`,
    );
  };

  // GET /links — the builder and the latest links
  web.get('/links', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const prefill = (request.query as { url?: unknown }).url;
    const state =
      typeof prefill === 'string'
        ? { values: { urls: prefill.slice(0, 2048) }, errors: {} }
        : emptyForm;
    return sendHtml(reply, await show(request.webCsrf, session, state));
  });

  // POST /links — make the links (the same input always gives the same links)
  web.post('/links', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const form = parseForm(linkForm, request.body);
    const send = async (state: FormState, made: Link[] = [], status = 200) =>
      sendHtml(reply, await show(request.webCsrf, session, state, made), status);
    if (!form.ok) return send(form.state, [], 422);
    try {
      options.linkLimit.take(session.affiliateId, ctx.clock.now());
      const made = await createLinks(
        ctx,
        { affiliateId: session.affiliateId, ...form.data },
        options.baseUrl,
      );
      return send(
        { values: { trackingId: form.data.trackingId, type: form.data.type }, errors: {} },
        made,
      );
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      const onUrls = ['url_not_allowed', 'not_a_hot_product', 'invalid_request'].includes(
        error.code,
      );
      return send(
        {
          values: form.values,
          errors: onUrls ? { urls: error.message } : {},
          message: onUrls ? undefined : error.message,
        },
        [],
        error.status,
      );
    }
  });
}

async function madeLink(link: Link): Promise<Html> {
  const qr = await QRCode.toString(link.promotionLink, { type: 'svg', margin: 1 });
  return html`<div class="link-out">
<span class="qr" role="img" aria-label="QR code of ${link.promotionLink}">${raw(qr)}</span>
<div><p><code>${link.promotionLink}</code> <button type="button" data-copy="${link.promotionLink}">Copy</button></p>
<p class="muted">${link.url} · ${link.trackingId} · ${link.type}</p></div>
</div>`;
}
