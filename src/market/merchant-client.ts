import type { Clock } from '../clock.js';
import { signMerchantPayload } from '../orders/merchant-signature.js';

/** How a merchant event's body reaches affnet's endpoint: the HTTP status and body back. */
export type MerchantPost = (
  body: string,
  signature: string,
) => Promise<{ status: number; body: string }>;

export type MerchantAnswer =
  | {
      accepted: true;
      replayed: boolean;
      subOrders: { sub_order_id: string; status: string }[];
    }
  | { accepted: false; status: number; code: string; message: string };

/** Sends signed events to affnet as a marketplace does: each with its own Affnet-Signature. */
export type MerchantClient = { send(body: string): Promise<MerchantAnswer> };

/**
 * A client that signs with the market's merchant secret and the clock's time, and posts
 * through `post`; affnet's refusals of an event (4xx) are answers; anything else (a wrong secret,
 * a 5xx) is a fault.
 */
export function merchantClient(post: MerchantPost, secret: string, clock: Clock): MerchantClient {
  return {
    async send(body) {
      const t = Math.floor(clock.now().getTime() / 1000);
      const res = await post(body, signMerchantPayload(secret, body, t));
      if (res.status === 200) {
        const outcome = JSON.parse(res.body) as {
          replayed?: boolean;
          sub_orders?: { sub_order_id: string; status: string }[];
        };
        return {
          accepted: true,
          replayed: outcome.replayed === true,
          subOrders: outcome.sub_orders ?? [],
        };
      }
      // 401 is the market's secret, not the event: a fault of the set-up, not an answer.
      if (res.status >= 400 && res.status < 500 && res.status !== 401) {
        const error = (JSON.parse(res.body) as { error?: { code?: string; message?: string } })
          .error;
        return {
          accepted: false,
          status: res.status,
          code: error?.code ?? 'unknown',
          message: error?.message ?? `affnet answered ${res.status}`,
        };
      }
      throw new Error(
        `affnet's merchant endpoint answered ${res.status}: ${res.body.slice(0, 500)}`,
      );
    },
  };
}

/**
 * The app's own endpoint, called in-process (`app.inject`): the request goes through the
 * route, its raw-body parser and the signature check exactly as the marketplace's would.
 */
export function injectedPost(app: {
  inject(request: {
    method: 'POST';
    url: string;
    headers: Record<string, string>;
    payload: string;
  }): PromiseLike<{ statusCode: number; body: string }>;
}): MerchantPost {
  return async (body, signature) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/merchant/v1/events',
      headers: { 'content-type': 'application/json', 'affnet-signature': signature },
      payload: body,
    });
    return { status: res.statusCode, body: res.body };
  };
}
