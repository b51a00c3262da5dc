import { signMerchantPayload } from '../orders/merchant-signature.js';
import type { StoredClick } from './click-flood.js';
import { sleep } from './wait.js';

/**
 * Sub-orders per order (a cart from several stores): settlement gets many sub-orders for
 * the events sent, and the receipts (on PostgreSQL the slower events) stay few.
 */
export const SUB_ORDERS_PER_ORDER = 8;
/** The most events one signed request carries (docs/merchant-events.md). */
const EVENTS_PER_BATCH = 500;
const RETRY_MS = 500;

/** One signed request's events, as the exact body sent every time (ids are idempotency keys). */
export type EventBatch = { body: string; events: number };

/**
 * `orders` orders, each paid through one of `clicks` (in turn) and its receipt confirmed a
 * second later; a batch holds the payments of 250 orders, then their confirmations, so
 * batches can be sent in any order and at once. Order ids are `flt-<n>`.
 */
export function orderBatches(
  clicks: readonly StoredClick[],
  productIds: readonly string[],
  orders: number,
  paidAt: Date,
): EventBatch[] {
  const paid = paidAt.toISOString();
  const confirmed = new Date(paidAt.getTime() + 1000).toISOString();
  const perBatch = EVENTS_PER_BATCH / 2;
  const batches: EventBatch[] = [];
  for (let start = 0; start < orders; start += perBatch) {
    const indexes = Array.from({ length: Math.min(perBatch, orders - start) }, (_, k) => start + k);
    const events = [
      ...indexes.map((i) => ({
        id: `paid-${i}`,
        type: 'order.paid',
        created_at: paid,
        data: {
          order_id: `flt-${i}`,
          sub_orders: Array.from({ length: SUB_ORDERS_PER_ORDER }, (_, k) => ({
            sub_order_id: `flt-${i}-${k}`,
            product_id: productIds[(i * SUB_ORDERS_PER_ORDER + k) % productIds.length],
            quantity: 1 + ((i + k) % 2),
            unit_price_minor: 10_000 + ((i * 7 + k * 13) % 20_000),
            currency: 'USD',
          })),
          buyer_id: `buyer-${i}`,
          is_new_buyer: false,
          ship_to_country: 'DE',
          shipping_method: 'DHL',
          click_id: (clicks[i % clicks.length] as StoredClick).clickId,
          paid_at: paid,
        },
      })),
      ...indexes.map((i) => ({
        id: `confirmed-${i}`,
        type: 'order.receipt_confirmed',
        created_at: confirmed,
        data: { order_id: `flt-${i}`, confirmed_at: confirmed },
      })),
    ];
    batches.push({ body: JSON.stringify({ events }), events: events.length });
  }
  return batches;
}

export type BatchAnswer = {
  accepted: number;
  rejected: number;
  replayed: number;
  /** The first refusal, to explain a failed check. */
  error?: string;
};

/**
 * Posts the batches, `clients` requests at a time, each signed at send time. A request that
 * fails without an answer is tried again up to `retries` times (a marketplace retries),
 * then its client stops: with `retries` 0, a killed server leaves the batches in flight
 * unanswered. `stop` ends the sending early; `onAnswer` sees each answer as it comes.
 */
export async function sendBatches(
  url: string,
  secret: string,
  batches: readonly EventBatch[],
  options: {
    clients: number;
    /** How far the server's clock runs ahead (a demo server): signatures are checked on it. */
    clockOffsetMs?: number;
    retries?: number;
    stop?: () => boolean;
    onAnswer?: () => void;
  },
): Promise<{ answers: Map<number, BatchAnswer>; networkErrors: string[] }> {
  const answers = new Map<number, BatchAnswer>();
  const networkErrors: string[] = [];
  let next = 0;
  const post = async (batch: EventBatch) => {
    const response = await fetch(`${url}/api/merchant/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'affnet-signature': signMerchantPayload(
          secret,
          batch.body,
          Math.floor((Date.now() + (options.clockOffsetMs ?? 0)) / 1000),
        ),
      },
      body: batch.body,
    });
    return { status: response.status, text: await response.text() };
  };
  const client = async () => {
    while (next < batches.length && !options.stop?.()) {
      const index = next;
      next += 1;
      const batch = batches[index] as EventBatch;
      for (let attempt = 0; ; attempt += 1) {
        try {
          const { status, text } = await post(batch);
          answers.set(index, answerOf(status, text, batch.events));
          options.onAnswer?.();
          break;
        } catch (error) {
          const cause = (error as { cause?: unknown }).cause;
          networkErrors.push(
            `batch ${index}: ${String(error)}${cause ? ` (${String(cause)})` : ''}`,
          );
          if (attempt >= (options.retries ?? 0)) return;
          await sleep(RETRY_MS);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  return { answers, networkErrors };
}

function answerOf(status: number, text: string, events: number): BatchAnswer {
  if (status !== 200)
    return { accepted: 0, rejected: events, replayed: 0, error: `${status} ${text.slice(0, 300)}` };
  const body = JSON.parse(text) as {
    accepted: number;
    rejected: number;
    results: { status: string; replayed?: boolean; error?: { code: string; message: string } }[];
  };
  const refused = body.results.find((r) => r.status === 'rejected');
  return {
    accepted: body.accepted,
    rejected: body.rejected,
    replayed: body.results.filter((r) => r.replayed === true).length,
    ...(refused?.error ? { error: `${refused.error.code}: ${refused.error.message}` } : {}),
  };
}

/** Sums of the answers: what the server said about the events it answered for. */
export function totalOf(answers: Map<number, BatchAnswer>): BatchAnswer {
  const total: BatchAnswer = { accepted: 0, rejected: 0, replayed: 0 };
  for (const a of answers.values()) {
    total.accepted += a.accepted;
    total.rejected += a.rejected;
    total.replayed += a.replayed;
    if (a.error && !total.error) total.error = a.error;
  }
  return total;
}
