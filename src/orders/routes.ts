import { z } from 'zod';
import { errorResponses } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import { AppError, errorStatus } from '../errors.js';
import type { App } from '../server.js';
import { type EventOutcome, ingestEvent, ingestEvents } from './ingest-event.js';
import { SIGNATURE_HEADER, verifyMerchantSignature } from './merchant-signature.js';
import { MAX_EVENTS_PER_BATCH } from './schema.js';

/** 500 events of a few hundred bytes each, with room to spare. */
const EVENTS_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

const outcome = z
  .object({
    id: z.string().nullable(),
    status: z.enum(['accepted', 'rejected']),
    replayed: z.boolean().optional(),
    order_id: z.string().optional(),
    sub_orders: z.array(z.object({ sub_order_id: z.string(), status: z.string() })).optional(),
    error: z.object({ code: z.string(), message: z.string(), http_status: z.number() }).optional(),
  })
  .meta({ id: 'MerchantEventOutcome' });
const batchResult = z
  .object({ accepted: z.number(), rejected: z.number(), results: z.array(outcome) })
  .meta({ id: 'MerchantEventBatchResult' });

/** The HTTP form of an outcome: snake_case, and the status a rejection would have on its own. */
function present(o: EventOutcome): z.infer<typeof outcome> {
  if (o.status === 'rejected')
    return {
      id: o.id,
      status: 'rejected',
      error: { ...o.error, http_status: errorStatus[o.error.code] },
    };
  return {
    id: o.id,
    status: 'accepted',
    replayed: o.replayed,
    order_id: o.orderId,
    sub_orders: o.subOrders,
  };
}

export function merchantRoutes(app: App, ctx: Ctx, secrets: readonly string[]): void {
  app.register(async (scope) => {
    // The signature covers the raw bytes: this scope reads JSON as text and parses it itself.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: EVENTS_BODY_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );

    // POST /api/merchant/v1/events — the marketplace reports order events (signed)
    scope.post(
      '/api/merchant/v1/events',
      {
        bodyLimit: EVENTS_BODY_LIMIT_BYTES,
        schema: {
          summary: 'Report order events',
          description: `One event \`{"id","type","created_at","data"}\` or a batch \`{"events":[…]}\` of up to ${MAX_EVENTS_PER_BATCH}. Signed: \`Affnet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>\`, at most 300 s old. The event id is the idempotency key. A single event answers with its own status; a batch answers 200 with an outcome per event.`,
          tags: ['merchant'],
          response: {
            200: z.union([outcome, batchResult]),
            ...errorResponses(400, 401, 404, 409, 413, 415, 422),
          },
        },
      },
      async (request, reply) => {
        const raw = request.body as string;
        const header = request.headers[SIGNATURE_HEADER];
        verifyMerchantSignature(
          typeof header === 'string' ? header : undefined,
          raw,
          secrets,
          ctx.clock.now(),
        );
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          throw new AppError('malformed_body', 'the body is not valid JSON');
        }
        if (body !== null && typeof body === 'object' && 'events' in body) {
          const events = (body as { events: unknown }).events;
          if (!Array.isArray(events) || events.length === 0 || events.length > MAX_EVENTS_PER_BATCH)
            throw new AppError(
              'invalid_request',
              `events: a list of 1 to ${MAX_EVENTS_PER_BATCH} events`,
            );
          // In order, each all-or-nothing: a refused event changes nothing and stops nothing.
          const results = (await ingestEvents(ctx, events)).map(present);
          const accepted = results.filter((r) => r.status === 'accepted').length;
          return reply.send({ accepted, rejected: results.length - accepted, results });
        }
        const result = await ingestEvent(ctx, body);
        if (result.status === 'rejected')
          throw new AppError(result.error.code, result.error.message);
        return reply.send(present(result));
      },
    );
  });
}
