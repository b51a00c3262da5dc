import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../../context.js';
import {
  issueSellerApiKey,
  listSellerApiKeys,
  revokeSellerApiKey,
} from '../../sellers/seller-api-keys.js';
import { pathId } from '../console/inputs.js';
import { noticeFor, when } from '../console/view.js';
import { type SellerSession, sellerOf } from '../guards.js';
import { html } from '../html.js';
import { csrfField } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { sellerPage } from './view.js';

const NOTICES = { revoked: 'Key revoked: calls with it are refused from now on.' };

async function showKeys(
  ctx: Ctx,
  request: FastifyRequest,
  reply: FastifyReply,
  seller: SellerSession,
  issued?: { id: string; key: string },
): Promise<FastifyReply> {
  const keys = await listSellerApiKeys(ctx.db, seller.sellerId);
  const csrf = csrfField(request.webCsrf);
  return sendHtml(
    reply,
    sellerPage(
      request,
      seller,
      { title: 'API keys', active: 'keys', notice: noticeFor(request.query, NOTICES) },
      html`<h1>API keys</h1>
<p>The seller API (<code>/api/seller/v1</code>, in the <a href="/docs">API document</a>) takes <code>Authorization: Bearer slk_…</code>. A key acts for your stores only.</p>
${
  issued
    ? html`<section class="panel" role="status"><h2>Your new key</h2><p>Copy it now: it is shown only this once.</p><p><code class="secret">${issued.key}</code></p></section>`
    : ''
}
<form method="post" action="/seller/api-keys">${csrf}<button type="submit">Issue a new key</button></form>
${
  keys.length === 0
    ? html`<p class="muted">No keys yet.</p>`
    : html`<div class="table-wrap" role="region" aria-label="API keys" tabindex="0"><table><thead><tr><th>Key</th><th>Issued</th><th>Revoked</th><th><span class="visually-hidden">Revoke</span></th></tr></thead><tbody>${keys.map(
        (k) =>
          html`<tr><td><code>${k.id}</code></td><td>${when(k.createdAt)}</td><td>${when(k.revokedAt)}</td><td>${k.revokedAt ? '' : html`<form method="post" action="/seller/api-keys/${k.id}/revoke">${csrf}<button type="submit" class="secondary">Revoke</button></form>`}</td></tr>`,
      )}</tbody></table></div>`
}`,
    ),
    issued ? 201 : 200,
  );
}

/** GET|POST /seller/api-keys, POST /seller/api-keys/:id/revoke — the seller's API keys. */
export function apiKeyPages(web: FastifyInstance, ctx: Ctx): void {
  // GET /seller/api-keys — the seller's keys (never the keys themselves)
  web.get('/seller/api-keys', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    return showKeys(ctx, request, reply, seller);
  });

  // POST /seller/api-keys — issue a key, shown once on the answer
  web.post('/seller/api-keys', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    const issued = await issueSellerApiKey(ctx, seller.sellerId);
    return showKeys(ctx, request, reply, seller, issued);
  });

  // POST /seller/api-keys/:id/revoke — revoke one of the seller's keys
  web.post<{ Params: { id: string } }>('/seller/api-keys/:id/revoke', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    await revokeSellerApiKey(
      ctx,
      seller.sellerId,
      pathId(request.params.id, 'api_key_not_found', 'API key'),
    );
    return seeOther(reply, '/seller/api-keys?done=revoked');
  });
}
