import type { FastifyInstance } from 'fastify';
import { findAffiliate } from '../../affiliates/queries.js';
import { listTrackingIds } from '../../affiliates/tracking-ids.js';
import { listCategories } from '../../catalog/list-categories.js';
import type { Ctx } from '../../context.js';
import { type AppError, isAppError } from '../../errors.js';
import { createStorefront } from '../../storefront/create-storefront.js';
import { getOwnStorefront, listStorefronts } from '../../storefront/find-storefront.js';
import { MAX_STOREFRONTS_PER_AFFILIATE, THEME_LABELS } from '../../storefront/schema.js';
import { storeProducts } from '../../storefront/store-products.js';
import { updateStorefront } from '../../storefront/update-storefront.js';
import type { FormState } from '../forms.js';
import { type AffiliateSession, affiliateOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { page } from '../layout.js';
import { errorPage, seeOther, sendHtml, type WebOptions } from '../plugin.js';
import { readStoreForm, storeForm, storeValues } from './store-form.js';

// The service's refusals, each shown at the field it is about.
const FIELD_OF: Record<string, string> = {
  duplicate_id: 'slug',
  tracking_id_not_found: 'trackingId',
  category_not_found: 'categoryIds',
  product_not_found: 'productIds',
};

type Id = { Params: { id: string } };

/**
 * GET|POST /stores… — the store builder: the affiliate's stores, a new one, and each
 * store's form to change it later. The store itself is public at /s/<slug>.
 */
export function storePages(web: FastifyInstance, ctx: Ctx, options: WebOptions): void {
  const formPage = async (
    session: AffiliateSession,
    csrf: string,
    state: FormState,
    editing?: { id: string; slug: string; notice?: string | undefined },
  ): Promise<Html> => {
    const [trackingIds, categories] = await Promise.all([
      listTrackingIds(ctx.db, session.affiliateId),
      listCategories(ctx.db),
    ]);
    const title = editing ? 'Edit store' : 'Build a store';
    return page(
      { title, session, csrf, active: 'stores', notice: editing?.notice },
      html`<h1>${title}</h1>
${editing ? html`<p>Your store is at <a href="/s/${editing.slug}">${options.baseUrl}/s/${editing.slug}</a>.</p>` : html`<p class="muted">Choose what it shows and how it looks: every product on it links through your tracking id.</p>`}
${storeForm({
  action: editing ? `/stores/${editing.id}` : '/stores',
  submit: editing ? 'Save the store' : 'Build the store',
  csrf,
  state,
  trackingIds,
  categories,
})}`,
    );
  };

  const refused = (error: unknown, values: Record<string, string>): FormState => {
    if (!isAppError(error) || error.status >= 500) throw error;
    const on = FIELD_OF[(error as AppError).code];
    return {
      values,
      errors: on ? { [on]: error.message } : {},
      message: on ? undefined : error.message,
    };
  };

  /** One of the session's affiliate's stores; anyone else's is as if it did not exist. */
  const ownStore = async (session: AffiliateSession, id: string) => {
    try {
      return await getOwnStorefront(ctx.db, session.affiliateId, id.slice(0, 64));
    } catch (error) {
      if (isAppError(error) && error.code === 'storefront_not_found') return undefined;
      throw error;
    }
  };

  // GET /stores — the affiliate's stores
  web.get('/stores', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const [stores, affiliate] = await Promise.all([
      listStorefronts(ctx.db, session.affiliateId),
      findAffiliate(ctx.db, session.affiliateId),
    ]);
    const live = affiliate?.status === 'approved';
    return sendHtml(
      reply,
      page(
        { title: 'Stores', session, csrf: request.webCsrf, active: 'stores' },
        html`<h1>Stores</h1>
<p>A store is a website of products you choose, hosted here, every product linked through your tracking id: share it, or ask for a static copy to put on your own site.</p>
${live ? '' : html`<p class="form-error" role="alert">Your account is ${affiliate?.status ?? 'not approved'}: your stores are not public until it is approved.</p>`}
${
  stores.length === 0
    ? html`<p class="muted">No store yet.</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>Store</th><th>Address</th><th>Theme</th><th>Tracking id</th><th><span class="visually-hidden">Actions</span></th></tr></thead><tbody>${stores.map(
        (s) =>
          html`<tr><td>${s.name}</td><td><a href="/s/${s.slug}">/s/${s.slug}</a></td><td>${THEME_LABELS[s.theme]}</td><td>${s.trackingId}</td><td><a href="/stores/${s.id}">Edit<span class="visually-hidden"> ${s.name}</span></a></td></tr>`,
      )}</tbody></table></div>`
}
${stores.length < MAX_STOREFRONTS_PER_AFFILIATE ? html`<p><a class="button" href="/stores/new">Build a store</a></p>` : ''}`,
      ),
    );
  });

  // GET /stores/new — the form of a new store
  web.get('/stores/new', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const state = { values: { theme: 'classic', trackingId: 'default' }, errors: {} };
    return sendHtml(reply, await formPage(session, request.webCsrf, state));
  });

  // POST /stores — build the store
  web.post('/stores', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const form = readStoreForm(request.body);
    if (!form.ok) return sendHtml(reply, await formPage(session, request.webCsrf, form.state), 422);
    try {
      const store = await createStorefront(ctx, session.affiliateId, form.input);
      return seeOther(reply, `/stores/${store.id}?built=1`);
    } catch (error) {
      const state = refused(error, form.values);
      const status = (error as AppError).status;
      return sendHtml(reply, await formPage(session, request.webCsrf, state), status);
    }
  });

  // GET /stores/:id — one of the affiliate's stores, to change
  web.get<Id>('/stores/:id', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const store = await ownStore(session, request.params.id);
    if (!store) return notFound(request, reply);
    const query = request.query as { built?: unknown; saved?: unknown };
    const { total } = await storeProducts(ctx.db, store, { pageSize: 1 });
    const done = query.built ? 'Store built.' : query.saved ? 'Store saved.' : '';
    const shows = `${total.toLocaleString('en')} product${total === 1 ? '' : 's'}`;
    const notice = done ? `${done} It shows ${shows}.` : undefined;
    return sendHtml(
      reply,
      await formPage(
        session,
        request.webCsrf,
        { values: storeValues(store), errors: {} },
        { id: store.id, slug: store.slug, notice },
      ),
    );
  });

  // POST /stores/:id — save the store's changes
  web.post<Id>('/stores/:id', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const store = await ownStore(session, request.params.id);
    if (!store) return notFound(request, reply);
    const editing = { id: store.id, slug: store.slug };
    const form = readStoreForm(request.body);
    if (!form.ok)
      return sendHtml(reply, await formPage(session, request.webCsrf, form.state, editing), 422);
    try {
      await updateStorefront(ctx, session.affiliateId, store.id, form.input);
      return seeOther(reply, `/stores/${store.id}?saved=1`);
    } catch (error) {
      const state = refused(error, form.values);
      const status = (error as AppError).status;
      return sendHtml(reply, await formPage(session, request.webCsrf, state, editing), status);
    }
  });
}

function notFound(request: Parameters<typeof errorPage>[0], reply: Parameters<typeof sendHtml>[0]) {
  return sendHtml(
    reply,
    errorPage(request, 'No such store', 'You have no store at that address.'),
    404,
  );
}
