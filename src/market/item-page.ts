import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { categoryLineages } from '../catalog/list-categories.js';
import { type SearchedProduct, searchProducts } from '../catalog/search-products.js';
import type { Ctx } from '../context.js';
import {
  emptyForm,
  type FormState,
  field,
  formMessage,
  formValues,
  parseForm,
  select,
} from '../web/forms.js';
import { html } from '../web/html.js';
import { csrfField } from '../web/layout.js';
import { seeOther, sendHtml } from '../web/plugin.js';
import { marketPage } from './layout.js';
import type { MerchantClient } from './merchant-client.js';
import { placeOrder } from './place-order.js';
import {
  buyForm,
  CLICK_COOKIE,
  CLICK_ID,
  DEFAULT_SHIPPING_METHOD,
  MAX_QUANTITY,
} from './schema.js';
import { picturePath, price, sendProblem, shippingLabel } from './views.js';

const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

/** The product with its store's name, or undefined when the catalog does not hold it. */
async function productById(ctx: Ctx, productId: string): Promise<SearchedProduct | undefined> {
  if (!PRODUCT_ID.test(productId)) return undefined;
  const { products } = await searchProducts(ctx.db, {
    productIds: [productId],
    limit: 1,
    offset: 0,
  });
  return products[0];
}

/** The methods a buyer may choose: the product's own, or the seller's shipping. */
const methodsOf = (product: SearchedProduct) =>
  product.shippingMethods.length > 0 ? product.shippingMethods : [DEFAULT_SHIPPING_METHOD];

/** The click this purchase is credited to: the redirect's cookie first, then the page's URL. */
function clickOf(request: FastifyRequest, fromPage: string | undefined): string | null {
  const cookie = request.cookies[CLICK_COOKIE];
  if (cookie && CLICK_ID.test(cookie)) return cookie;
  return fromPage && CLICK_ID.test(fromPage) ? fromPage : null;
}

/**
 * GET /market/item/:productId.html, POST /market/buy — a product's page with its Buy
 * form, and the purchase: the market's order and affnet's signed `order.paid`.
 */
export function itemPages(market: FastifyInstance, ctx: Ctx, merchant: MerchantClient): void {
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    product: SearchedProduct,
    state: FormState,
    status = 200,
  ) => {
    const lineage = (await categoryLineages(ctx.db, [product.categoryId])).get(product.categoryId);
    const fromPage = state.values.click_id;
    const clickId = clickOf(request, fromPage);
    const methods = methodsOf(product);
    const values = {
      quantity: '1',
      shipping_method: methods[0] as string,
      ...state.values,
    };
    const formState = { ...state, values };
    return sendHtml(
      reply,
      marketPage(
        { title: product.title },
        html`${
          lineage
            ? html`<nav aria-label="Breadcrumb" class="mk-crumbs"><ol><li><a href="/market">Market</a></li>${lineage.map(
                (c) =>
                  html`<li><a href="/market/category/${encodeURIComponent(c.id)}">${c.name}</a></li>`,
              )}</ol></nav>`
            : ''
        }
<article class="mk-item">
<img class="mk-item-picture" src="${picturePath(product.productId)}" alt="${product.title}" width="400" height="400">
<div class="mk-item-body">
<h1>${product.title}</h1>
<p class="mk-item-price">${price(product.priceMinor, product.currency)}</p>
<dl class="mk-facts">
<dt>Sold by</dt><dd>${product.storeName}</dd>
${product.shipFrom ? html`<dt>Ships from</dt><dd>${product.shipFrom}</dd>` : ''}
<dt>Sold so far</dt><dd>${product.salesVolume.toString()}</dd>
${product.positiveFeedbackBp !== null ? html`<dt>Positive feedback</dt><dd>${(product.positiveFeedbackBp / 100).toFixed(1)}%</dd>` : ''}
<dt>Product id</dt><dd>${product.productId}</dd>
</dl>
${
  clickId
    ? html`<p class="mk-referred">You came through an affiliate's link: this purchase is credited to them (click <code>${clickId}</code>).</p>`
    : html`<p class="mk-referred muted">No affiliate click: nobody earns a commission on this purchase.</p>`
}
<form class="mk-buy" method="post" action="/market/buy" novalidate>
${csrfField(request.webCsrf)}
<input type="hidden" name="product_id" value="${product.productId}">
<input type="hidden" name="key" value="${randomUUID()}">
${fromPage && CLICK_ID.test(fromPage) ? html`<input type="hidden" name="click_id" value="${fromPage}">` : ''}
${formMessage(formState)}
${select(
  'shipping_method',
  'Shipping',
  methods.map((m) => ({ value: m, label: shippingLabel(m) })),
  formState,
)}
${field('quantity', 'Quantity', formState, { type: 'number', inputmode: 'numeric', hint: `1 to ${MAX_QUANTITY}`, required: true })}
<button type="submit" class="mk-buy-button">Buy now</button>
<p class="mk-small">Paying is pretend: the market tells affnet the order is paid and ships it at once.</p>
</form>
</div>
</article>`,
      ),
      status,
    );
  };

  // GET /market/item/:productId.html — the product page (an affiliate link lands here)
  market.get<{ Params: { '*': string } }>('/item/*', async (request, reply) => {
    const file = request.params['*'];
    const product = file.endsWith('.html')
      ? await productById(ctx, file.slice(0, -'.html'.length))
      : undefined;
    if (!product)
      return sendProblem(reply, 404, 'No such product', 'This product is not in the market.');
    const fromLink = formValues(request.query).aff_click_id;
    return show(request, reply, product, {
      ...emptyForm,
      values: fromLink ? { click_id: fromLink } : {},
    });
  });

  // POST /market/buy — pay for the product: the market's order, affnet's order.paid and order.shipped
  market.post('/buy', async (request, reply) => {
    const values = formValues(request.body);
    const product = await productById(ctx, values.product_id ?? '');
    if (!product)
      return sendProblem(reply, 404, 'No such product', 'This product is not in the market.');
    const form = parseForm(buyForm, request.body);
    if (!form.ok) {
      // The hidden fields have no place to show an error: the form as a whole has it.
      const { errors } = form.state;
      const message = errors.key ?? errors.click_id ?? form.state.message;
      return show(request, reply, product, { ...form.state, message }, 422);
    }
    const { data } = form;
    if (!methodsOf(product).includes(data.shipping_method))
      return show(
        request,
        reply,
        product,
        { values, errors: { shipping_method: 'choose one of the ways this product ships' } },
        422,
      );
    const placed = await placeOrder(ctx, merchant, {
      buyerId: request.marketBuyer,
      buyKey: data.key,
      product,
      quantity: data.quantity,
      shippingMethod: data.shipping_method,
      clickId: clickOf(request, data.click_id),
    });
    if (placed.kind === 'refused')
      return show(
        request,
        reply,
        product,
        { values, errors: {}, message: `affnet refused the payment: ${placed.message}` },
        placed.status,
      );
    const done =
      placed.kind === 'replayed'
        ? ''
        : placed.shipment.kind === 'accepted'
          ? '?done=bought'
          : '?done=unshipped';
    return seeOther(reply, `/market/orders/${placed.orderId}${done}`);
  });
}
