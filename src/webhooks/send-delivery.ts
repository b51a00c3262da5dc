import { formatDecimal } from '../money.js';
import { hmac, signMerchantPayload } from '../orders/merchant-signature.js';

/** What one attempt came to: a 2xx is delivered; anything else is retried. */
export type AttemptOutcome = {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
};

export type SendOptions = { fetch: typeof fetch; timeoutMs: number; now: Date };

const USER_AGENT = 'affnet-webhooks/1';
const ERROR_CHARS = 500;

/**
 * POSTs the event to a webhook, signed as the marketplace signs its events to affnet:
 * `Affnet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`; while
 * a rotation's overlap lasts, a second `,v1=…` under the replaced secret follows.
 */
export function sendWebhook(
  target: { url: string; secret: string; previousSecret?: string | undefined },
  delivery: { id: string; eventType: string; payload: string },
  options: SendOptions,
): Promise<AttemptOutcome> {
  const t = Math.floor(options.now.getTime() / 1000);
  return attempt(options, target.url, {
    method: 'POST',
    body: delivery.payload,
    headers: {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'affnet-signature': target.previousSecret
        ? `${signMerchantPayload(target.secret, delivery.payload, t)},v1=${hmac(target.previousSecret, t, delivery.payload)}`
        : signMerchantPayload(target.secret, delivery.payload, t),
      'affnet-event': delivery.eventType,
      'affnet-delivery': delivery.id,
    },
  });
}

/** GETs a postback's URL template filled with the event's values. */
export function sendPostback(
  target: { urlTemplate: string },
  delivery: { payload: string },
  options: SendOptions,
): Promise<AttemptOutcome> {
  const { data } = JSON.parse(delivery.payload) as { data: Record<string, unknown> };
  return attempt(options, fillTemplate(target.urlTemplate, postbackValues(data)), {
    method: 'GET',
    headers: { 'user-agent': USER_AGENT },
  });
}

/** The placeholders a postback template may use, from an order event's data. */
export function postbackValues(data: Record<string, unknown>): Record<string, string> {
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const currency = text(data.currency);
  const commission =
    data.commission === undefined || data.commission === null || !currency
      ? ''
      : formatDecimal(BigInt(data.commission as number | string), currency);
  return {
    click_id: text(data.click_id),
    sub1: text(data.sub1),
    sub2: text(data.sub2),
    sub3: text(data.sub3),
    sub4: text(data.sub4),
    sub5: text(data.sub5),
    order_id: text(data.order_id),
    sub_order_id: text(data.sub_order_id),
    tracking_id: text(data.tracking_id),
    commission,
    currency,
    status: text(data.status),
  };
}

/** `{name}` → the URL-encoded value; placeholders it does not know stay as they are. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z0-9_]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? encodeURIComponent(values[name] as string) : whole,
  );
}

async function attempt(
  options: SendOptions,
  url: string,
  init: RequestInit,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const response = await options.fetch(url, {
      ...init,
      // A redirect is not followed: the receiver answers at the URL it gave, or it failed.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // The body is not read: a receiver's answer means nothing but its status.
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      statusCode: response.status,
      error: ok ? null : `HTTP ${response.status}`,
      durationMs: took(),
    };
  } catch (error) {
    return { ok: false, statusCode: null, error: describe(error, options), durationMs: took() };
  }
}

function describe(error: unknown, options: SendOptions): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `no answer within ${options.timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const detail =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : error instanceof Error
          ? error.message
          : String(error);
  return `could not deliver: ${detail}`.slice(0, ERROR_CHARS);
}
