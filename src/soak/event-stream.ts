import { signMerchantPayload } from '../orders/merchant-signature.js';
import type { HttpClient } from './http-client.js';
import type { FlowOrder, MerchantEvent, OrderFlow } from './order-flow.js';
import type { StreamStats, Verdict } from './stream-stats.js';

type Outcome = {
  status?: 'accepted' | 'rejected';
  replayed?: boolean;
  sub_orders?: { status: string }[];
  error?: { code: string };
};

/** What the merchant endpoint made of the events, beyond each request's status. */
export type EventCounts = { accepted: number; replayed: number; skipped: number };

/**
 * Slot i of the event stream: up to `perRequest` events from the flow (one request: a single
 * event's body when `perRequest` is 1, else `{"events": [...]}`), signed as the marketplace
 * signs (HMAC-SHA256 over `<t>.<body>`, t in unix seconds). Expected: 200 and every event
 * accepted, for the first time, each order.paid attributed to its click (no sub-order
 * Invalid). A slot with nothing ready (no click old enough yet) sends nothing.
 */
export function eventSender(
  client: HttpClient,
  flow: OrderFlow,
  secret: string,
  perRequest: number,
  stats: StreamStats,
  counts: EventCounts,
): (measured: boolean) => void {
  const check = (event: MerchantEvent, outcome: Outcome | undefined): Verdict => {
    if (outcome?.status !== 'accepted') return `${event.type} rejected: ${outcome?.error?.code}`;
    counts.accepted += 1;
    if (outcome.replayed) {
      counts.replayed += 1;
      return `${event.type} replayed`;
    }
    if (event.type === 'order.paid' && outcome.sub_orders?.some((s) => s.status === 'invalid'))
      return 'order.paid not attributed to its click';
    return undefined;
  };

  const send = async (batch: { order: FlowOrder; event: MerchantEvent }[]): Promise<Verdict> => {
    const single = batch.length === 1;
    const body = JSON.stringify(single ? batch[0]?.event : { events: batch.map((b) => b.event) });
    let verdicts: Verdict[];
    try {
      const answer = await client.request(
        'POST',
        '/api/merchant/v1/events',
        {
          'content-type': 'application/json',
          'affnet-signature': signMerchantPayload(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
      );
      const parsed = JSON.parse(answer.body) as Outcome & { results?: Outcome[] };
      if (answer.status !== 200) {
        // The request as a whole was refused: one error, and none of its events went in.
        for (const b of batch) flow.answered(b.order, false, performance.now());
        return `HTTP ${answer.status} ${parsed.error?.code ?? ''}`.trim();
      }
      verdicts = single
        ? [check((batch[0] as { event: MerchantEvent }).event, parsed)]
        : batch.map((b, k) => check(b.event, parsed.results?.[k]));
    } catch (error) {
      for (const b of batch) flow.answered(b.order, false, performance.now());
      throw error;
    }
    const now = performance.now();
    for (const [k, b] of batch.entries()) flow.answered(b.order, verdicts[k] === undefined, now);
    // One request, one verdict; in a batch, any further events' problems count on their own.
    const problems = verdicts.filter((v): v is string => v !== undefined);
    for (const extra of problems.slice(1)) stats.error(extra);
    return problems[0];
  };

  return (measured) => {
    const now = performance.now();
    const batch: { order: FlowOrder; event: MerchantEvent }[] = [];
    while (batch.length < perRequest) {
      const next = flow.next(now);
      if (!next) break;
      batch.push(next);
    }
    if (batch.length === 0) counts.skipped += 1;
    else stats.track(() => send(batch), measured);
  };
}
