import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';
import type { MarketOrderStatus } from '../db/types.js';
import { formValues, parseForm } from '../web/forms.js';
import { html } from '../web/html.js';
import { csrfField } from '../web/layout.js';
import { seeOther, sendHtml } from '../web/plugin.js';
import { marketPage } from './layout.js';
import type { MerchantClient } from './merchant-client.js';
import { orderState } from './order-state.js';
import {
  acceptedEvents,
  findBuyerOrder,
  listBuyerOrders,
  type MarketOrder,
  orderEvents,
} from './queries.js';
import { actionForm, ORDER_ID, type OrderAction, orderActions } from './schema.js';
import { takeAction } from './take-action.js';
import { itemPath, picturePath, price, sendProblem, shippingLabel } from './views.js';

const STATUS_WORDS: Record<MarketOrderStatus, string> = {
  pending: 'Waiting for payment',
  paid: 'Paid',
  shipped: 'Shipped',
  received: 'Received',
  disputed: 'In dispute',
  refunded: 'Refunded',
};
const EVENT_WORDS: Record<string, string> = {
  'order.paid': 'Paid',
  'order.shipped': 'Shipped by the seller',
  'order.receipt_confirmed': 'Receipt confirmed',
  'order.dispute_opened': 'Dispute opened',
  'order.dispute_closed': 'Dispute closed, no refund',
  'order.refunded': 'Refunded in full',
};
const NOTICES: Record<string, string> = {
  bought: 'Thank you: the order is paid, and the seller shipped it at once.',
  unshipped: 'The order is paid, but affnet refused the shipment notice: it is not shipped.',
  confirm: 'Receipt confirmed: the affiliate’s commission settles after the protection period.',
  dispute: 'Dispute opened: no commission settles while it is open.',
  'close-dispute': 'Dispute closed without a refund.',
  refund: 'Refunded in full: the affiliate earns no commission on this order.',
};
const BUTTONS: Record<OrderAction, { label: string; hint: string; tone: string }> = {
  confirm: {
    label: 'Confirm receipt',
    hint: 'You have the goods: the commission can settle.',
    tone: '',
  },
  dispute: {
    label: 'Open dispute',
    hint: 'Something is wrong: settlement waits.',
    tone: ' secondary',
  },
  'close-dispute': {
    label: 'Close dispute',
    hint: 'Settled between you and the seller, no refund.',
    tone: ' secondary',
  },
  refund: {
    label: 'Request refund',
    hint: 'Your money back in full: no commission is due.',
    tone: ' danger',
  },
};

const when = (at: string) => `${at.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * GET /market/orders, /market/orders/:orderId, POST /market/orders/:orderId/:action — the
 * buyer's orders (only theirs: any other is not found) and what they may do with each.
 */
export function orderPages(market: FastifyInstance, ctx: Ctx, merchant: MerchantClient): void {
  const findOrder = (request: FastifyRequest, orderId: string) =>
    ORDER_ID.test(orderId)
      ? findBuyerOrder(ctx.db, request.marketBuyer, orderId)
      : Promise.resolve(undefined);
  const notFound = (reply: FastifyReply) =>
    sendProblem(reply, 404, 'No such order', 'You have no order with this number.');

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    order: MarketOrder,
    frame: { notice?: string; problem?: string },
    status = 200,
  ) => {
    const events = await orderEvents(ctx.db, order.order_id);
    const state = orderState(acceptedEvents(events));
    const total = BigInt(order.quantity) * BigInt(order.unit_price_minor);
    const allowed = orderActions.filter((a) => state.refusal[a] === null);
    return sendHtml(
      reply,
      marketPage(
        { title: `Order ${order.order_id}`, ...frame },
        html`<h1>Order <span class="mk-mono">${order.order_id}</span></h1>
<section class="mk-panel mk-order">
<img src="${picturePath(order.product_id)}" alt="" width="400" height="400">
<div>
<h2><a href="${itemPath(order.product_id)}">${order.title}</a></h2>
<dl class="mk-facts">
<dt>Amount</dt><dd><strong>${price(total, order.currency)}</strong> (${order.quantity.toString()} × ${price(order.unit_price_minor, order.currency)})</dd>
<dt>Shipping</dt><dd>${shippingLabel(order.shipping_method)}</dd>
<dt>Status</dt><dd><span class="mk-status mk-status-${state.status}" data-status="${state.status}">${STATUS_WORDS[state.status]}</span></dd>
<dt>Affiliate click</dt><dd>${order.click_id ? html`<code>${order.click_id}</code>` : 'none: nobody earns a commission'}</dd>
</dl>
</div>
</section>
${
  allowed.length > 0
    ? html`<section class="mk-panel"><h2>What you can do</h2><div class="mk-actions">${allowed.map(
        (a) =>
          html`<form method="post" action="/market/orders/${order.order_id}/${a}">${csrfField(request.webCsrf)}<input type="hidden" name="step" value="${state.nextStep}"><button type="submit" class="mk-action${BUTTONS[a].tone}">${BUTTONS[a].label}</button><span class="mk-small">${BUTTONS[a].hint}</span></form>`,
      )}</div></section>`
    : ''
}
<section class="mk-panel"><h2>What happened</h2>
<p class="mk-small">Each step is a signed event the market sent affnet, with affnet’s answer.</p>
<ol class="mk-timeline">${events.map(
          (e) =>
            html`<li${e.state === 'sending' ? html` class="mk-sending"` : ''}><span class="mk-when">${when(e.created_at)}</span> <strong>${EVENT_WORDS[e.type] ?? e.type}</strong><br><span class="mk-small">${e.state === 'accepted' ? e.outcome : 'Not answered yet: send the form again.'}</span></li>`,
        )}</ol></section>
<p><a href="/market/orders">All my orders</a></p>`,
      ),
      status,
    );
  };

  // GET /market/orders — this buyer's orders, newest first
  market.get('/orders', async (request, reply) => {
    const orders = await listBuyerOrders(ctx.db, request.marketBuyer);
    return sendHtml(
      reply,
      marketPage(
        { title: 'My orders' },
        html`<h1>My orders</h1>${
          orders.length === 0
            ? html`<p class="mk-empty">No orders yet. <a href="/market">Find something to buy</a>.</p>`
            : html`<div class="mk-table-wrap"><table><thead><tr><th>Order</th><th class="num">Amount</th><th>Status</th></tr></thead><tbody>${orders.map(
                (o) =>
                  html`<tr><td><a href="/market/orders/${o.order_id}">${o.title}</a><span class="mk-small"><span class="mk-mono">${o.order_id}</span>, ${when(o.created_at)}</span></td><td class="num">${price(BigInt(o.quantity) * BigInt(o.unit_price_minor), o.currency)}</td><td>${STATUS_WORDS[o.status]}</td></tr>`,
              )}</tbody></table></div>`
        }`,
      ),
    );
  });

  // GET /market/orders/:orderId — the order, its timeline and what the buyer may do now
  market.get<{ Params: { orderId: string } }>('/orders/:orderId', async (request, reply) => {
    const order = await findOrder(request, request.params.orderId);
    if (!order) return notFound(reply);
    const done = formValues(request.query).done;
    return show(request, reply, order, done && NOTICES[done] ? { notice: NOTICES[done] } : {});
  });

  // POST /market/orders/:orderId/:action — confirm receipt, open or close a dispute, ask for a refund
  market.post<{ Params: { orderId: string; action: string } }>(
    '/orders/:orderId/:action',
    async (request, reply) => {
      const order = await findOrder(request, request.params.orderId);
      if (!order) return notFound(reply);
      const action = orderActions.find((a) => a === request.params.action);
      if (!action)
        return sendProblem(reply, 404, 'No such action', 'An order cannot do that here.');
      const form = parseForm(actionForm, request.body);
      if (!form.ok)
        return show(
          request,
          reply,
          order,
          { problem: 'This form has expired: here is the order as it stands now.' },
          422,
        );
      const result = await takeAction(ctx, merchant, order, action, form.data.step);
      if (result.kind === 'refused')
        return show(request, reply, order, { problem: result.message }, result.status);
      return seeOther(reply, `/market/orders/${order.order_id}?done=${action}`);
    },
  );
}
