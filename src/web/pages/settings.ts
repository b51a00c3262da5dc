import type { FastifyInstance } from 'fastify';
import { issueApiCredentials } from '../../affiliates/api-credentials.js';
import { issueApiKey } from '../../affiliates/api-keys.js';
import { createTrackingId, listTrackingIds } from '../../affiliates/tracking-ids.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { createPostback } from '../../webhooks/create-postback.js';
import { createWebhook } from '../../webhooks/create-webhook.js';
import { deleteTarget } from '../../webhooks/delete-target.js';
import { listPostbacks } from '../../webhooks/list-postbacks.js';
import { listWebhooks } from '../../webhooks/list-webhooks.js';
import { EVENT_TYPES, ORDER_EVENT_TYPES } from '../../webhooks/schema.js';
import { emptyForm, type FormState, field, formMessage, formValues, noticeOf } from '../forms.js';
import { type AffiliateSession, affiliateOf } from '../guards.js';
import { Html, html } from '../html.js';
import { csrfField, page } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';

type Forms = Partial<Record<'tracking' | 'webhook' | 'postback', FormState>>;
/** A form the service refused: the page again, with the error's status. */
type Refused = { page: Html; status: number };
const NOTICES: Record<string, string> = {
  tracking: 'Tracking id added.',
  postback: 'Postback added.',
  deleted: 'Deleted.',
};

/** Checked boxes of one name: a form sends one value as text and several as a list. */
function checked(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string').slice(0, 20);
}

function eventBoxes(name: string, events: readonly string[]): Html {
  return html`<fieldset class="field"><legend>Events</legend>${events.map(
    (e) => html`<label><input type="checkbox" name="${name}" value="${e}" checked> ${e}</label> `,
  )}</fieldset>`;
}

/**
 * GET /settings and its forms — tracking ids, API keys, Open API credentials, webhooks and
 * postbacks. A new secret is shown on the page that made it, once, never in a URL.
 */
export function settingsPages(web: FastifyInstance, ctx: Ctx): void {
  const show = async (
    csrf: string,
    session: AffiliateSession,
    forms: Forms = {},
    shown?: Html,
    notice?: string,
  ) => {
    const id = session.affiliateId;
    const [trackingIds, webhooks, postbacks] = await Promise.all([
      listTrackingIds(ctx.db, id),
      listWebhooks(ctx.db, id, { limit: 50 }),
      listPostbacks(ctx.db, id, { limit: 50 }),
    ]);
    const remove = (kind: string, targetId: string) =>
      html`<form method="post" action="/settings/${kind}/${targetId}/delete">${csrfField(csrf)}<button type="submit" class="link">Delete</button></form>`;
    return page(
      { title: 'Settings', session, csrf, active: 'settings', notice },
      html`<h1>Settings</h1>
${shown ?? ''}
<div class="grid2">
<section class="panel"><h2>Tracking ids</h2>
<p class="muted">Separate your channels: each link and each report line carries one.</p>
<ul>${trackingIds.map((t) => html`<li>${t.name}</li>`)}</ul>
<form method="post" action="/settings/tracking-ids" novalidate>${csrfField(csrf)}${formMessage(forms.tracking ?? emptyForm)}
${field('name', 'New tracking id', forms.tracking ?? emptyForm, { hint: 'Letters, digits, _ or -; up to 40.' })}
<button type="submit">Add</button></form></section>
<section class="panel"><h2>API access</h2>
<p>REST API keys (<a href="/docs">documentation</a>) and AliExpress-compatible Open API credentials for <code>/sync</code>. Each secret is shown once.</p>
<form method="post" action="/settings/api-key">${csrfField(csrf)}<button type="submit">New REST API key</button></form>
<form method="post" action="/settings/open-api">${csrfField(csrf)}<p><button type="submit" class="secondary">New Open API app key and secret</button></p><p class="hint muted">A new pair revokes the previous one.</p></form>
</section>
</div>
<h2>Webhooks</h2>
${
  webhooks.length > 0
    ? html`<div class="table-wrap"><table><thead><tr><th>URL</th><th>Events</th><th>State</th><th></th></tr></thead><tbody>${webhooks.map(
        (w) =>
          html`<tr><td>${w.url}</td><td>${w.events.join(', ')}</td><td>${w.status}${w.disabledReason ? ` (${w.disabledReason})` : ''}</td><td>${w.status === 'active' ? remove('webhooks', w.id) : ''}</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
<form class="panel" method="post" action="/settings/webhooks" novalidate>${csrfField(csrf)}${formMessage(forms.webhook ?? emptyForm)}
${field('url', 'Webhook URL (https)', forms.webhook ?? emptyForm, { type: 'url', placeholder: 'https://' })}
${eventBoxes('events', EVENT_TYPES)}
<button type="submit">Add webhook</button></form>
<h2>Postbacks</h2>
${
  postbacks.length > 0
    ? html`<div class="table-wrap"><table><thead><tr><th>URL template</th><th>Events</th><th>State</th><th></th></tr></thead><tbody>${postbacks.map(
        (p) =>
          html`<tr><td>${p.urlTemplate}</td><td>${p.events.join(', ')}</td><td>${p.status}</td><td>${p.status === 'active' ? remove('postbacks', p.id) : ''}</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
<form class="panel" method="post" action="/settings/postbacks" novalidate>${csrfField(csrf)}${formMessage(forms.postback ?? emptyForm)}
${field('urlTemplate', 'Postback URL template', forms.postback ?? emptyForm, { hint: 'e.g. https://tracker.example/pb?click={click_id}&amount={commission}', placeholder: 'https://' })}
${eventBoxes('events', ORDER_EVENT_TYPES)}
<button type="submit">Add postback</button></form>`,
    );
  };

  /** A POST whose result is a page, a refused form (with its status) or a path to redirect to. */
  const postForm = (
    path: string,
    run: (
      session: AffiliateSession,
      body: Record<string, string>,
      raw: unknown,
      csrf: string,
    ) => Promise<Html | Refused | string>,
  ) =>
    web.post(path, async (request, reply) => {
      const session = affiliateOf(request, reply);
      if (!session) return reply;
      const result = await run(session, formValues(request.body), request.body, request.webCsrf);
      if (typeof result === 'string') return seeOther(reply, result);
      return result instanceof Html
        ? sendHtml(reply, result)
        : sendHtml(reply, result.page, result.status);
    });

  // GET /settings
  web.get('/settings', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const done = formValues(request.query).done;
    return sendHtml(
      reply,
      await show(request.webCsrf, session, {}, undefined, noticeOf(NOTICES, done)),
    );
  });

  /** Runs a service; its operating error becomes the form's error, shown with what was typed. */
  const attempt = async (
    csrf: string,
    session: AffiliateSession,
    form: keyof Forms,
    values: Record<string, string>,
    fieldName: string,
    run: () => Promise<Html | string>,
  ): Promise<Html | Refused | string> => {
    try {
      return await run();
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      // The error's own status (422, 404…), as the other forms answer: a refused form was a 200.
      const errors = { [fieldName]: error.message };
      return {
        page: await show(csrf, session, { [form]: { values, errors } }),
        status: error.status,
      };
    }
  };

  // POST /settings/tracking-ids — add a tracking id
  postForm('/settings/tracking-ids', (session, body, _raw, csrf) =>
    attempt(csrf, session, 'tracking', body, 'name', async () => {
      await createTrackingId(ctx, session.affiliateId, body.name ?? '');
      return '/settings?done=tracking';
    }),
  );

  // POST /settings/api-key — a new REST API key, shown once
  postForm('/settings/api-key', async (session, _body, _raw, csrf) => {
    const { key } = await issueApiKey(ctx, session.affiliateId);
    return show(
      csrf,
      session,
      {},
      secretPanel('Your new REST API key', key, 'Send it as Authorization: Bearer <key>.'),
    );
  });

  // POST /settings/open-api — a new app_key and app_secret, shown once
  postForm('/settings/open-api', async (session, _body, _raw, csrf) => {
    const c = await issueApiCredentials(ctx, session.affiliateId);
    return show(
      csrf,
      session,
      {},
      secretPanel(
        `Open API app_key ${c.appKey}`,
        c.appSecret,
        'The app_secret signs your /sync calls.',
      ),
    );
  });

  // POST /settings/webhooks — subscribe a URL; its signing secret is shown once
  postForm('/settings/webhooks', (session, body, raw, csrf) =>
    attempt(csrf, session, 'webhook', body, 'url', async () => {
      const w = await createWebhook(ctx, session.affiliateId, {
        url: body.url ?? '',
        events: checked(raw, 'events'),
      });
      return show(
        csrf,
        session,
        {},
        secretPanel(
          `Signing secret of ${w.url}`,
          w.secret,
          'Check the signature of every delivery with it.',
        ),
      );
    }),
  );

  // POST /settings/postbacks — a postback URL template
  postForm('/settings/postbacks', (session, body, raw, csrf) =>
    attempt(csrf, session, 'postback', body, 'urlTemplate', async () => {
      await createPostback(ctx, session.affiliateId, {
        urlTemplate: body.urlTemplate ?? '',
        events: checked(raw, 'events'),
      });
      return '/settings?done=postback';
    }),
  );

  // POST /settings/:kind/:id/delete — delete one of the caller's webhooks or postbacks
  web.post<{ Params: { kind: string; id: string } }>(
    '/settings/:kind/:id/delete',
    async (request, reply) => {
      const session = affiliateOf(request, reply);
      if (!session) return reply;
      const kind =
        request.params.kind === 'webhooks'
          ? 'webhook'
          : request.params.kind === 'postbacks'
            ? 'postback'
            : undefined;
      if (!kind) return reply.callNotFound();
      await deleteTarget(ctx, kind, session.affiliateId, request.params.id.slice(0, 64));
      return seeOther(reply, '/settings?done=deleted');
    },
  );
}

function secretPanel(title: string, secret: string, how: string): Html {
  return html`<section class="panel" aria-live="polite"><h2>${title}</h2><p>Copy it now: it is not shown again. ${how}</p><p class="link-out"><code data-secret>${secret}</code> <button type="button" data-copy="${secret}">Copy</button></p></section>`;
}
