import { expect } from 'vitest';
import type { Ctx } from '../context.js';
import { type App, buildApp } from '../server.js';
import { WebAgent } from './web-agent.js';

const SECRET = 'market-test-merchant-secret';

/** The app with the demo market, its events signed with a secret the endpoint accepts. */
export function buildMarketApp(ctx: Ctx): Promise<App> {
  return buildApp(ctx, { merchantSecrets: [SECRET], demoMarket: { merchantSecret: SECRET } });
}

/** A buyer's browser, with the click cookie the redirect would have set. */
export function marketBuyer(app: App, clickId?: string): WebAgent {
  const agent = new WebAgent(app);
  if (clickId) agent.cookies.set('affnet_click', clickId);
  return agent;
}

export const stepOf = (body: string) => /name="step" value="(\d+)"/.exec(body)?.[1] ?? '';
export const orderIdOf = (location: string | undefined) =>
  /^\/market\/orders\/(mkt-[0-9a-z]{26})/.exec(location ?? '')?.[1] ?? '';

/**
 * Opens the product's page and sends its Buy form (2 by DHL, the page's key and click),
 * with these fields changed; the answer and the form sent.
 */
export async function buyOnPage(
  agent: WebAgent,
  productId: string,
  fields: Record<string, string> = {},
  page = `/market/item/${productId}.html`,
) {
  const shown = await agent.get(page);
  expect(shown.status).toBe(200);
  const hidden = (name: string) =>
    new RegExp(`name="${name}" value="([^"]+)"`).exec(shown.body)?.[1];
  const clickId = hidden('click_id');
  const form = {
    product_id: productId,
    quantity: '2',
    shipping_method: 'DHL',
    key: hidden('key') ?? '',
    ...(clickId ? { click_id: clickId } : {}),
    ...fields,
  };
  return { answer: await agent.post('/market/buy', form), form };
}

/** The market's orders and events and affnet's merchant events: what a refusal must not change. */
export async function marketCounts(ctx: Ctx) {
  const count = async (table: 'market_orders' | 'market_order_events' | 'merchant_events') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    market: await count('market_orders'),
    events: await count('market_order_events'),
    affnet: await count('merchant_events'),
  };
}

/** The sub-order affnet keeps for a market order (its one sub-order). */
export function subOrderOf(ctx: Pick<Ctx, 'db'>, orderId: string) {
  return ctx.db
    .selectFrom('sub_orders')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
}
