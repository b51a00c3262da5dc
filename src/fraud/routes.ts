import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateOperator } from '../api/operator-auth.js';
import { errorResponses, minorUnits } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import { bigintToJson } from '../lib/json.js';
import type { App } from '../server.js';
import { listFlags } from './list-flags.js';
import { invalidateFlag, type Resolved, releaseFlag } from './resolve-flag.js';
import { type FlagView, MAX_FLAG_PAGE, MAX_NOTE_CHARS } from './schema.js';
import { FRAUD_SIGNALS } from './signals.js';

const PREFIX = '/api/operator/v1/flags';
const tags = ['operator'];

const flagJson = z
  .object({
    id: z.string(),
    order_id: z.string(),
    sub_order_id: z.string().nullable(),
    affiliate_id: z.string(),
    signal: z.string(),
    signal_words: z.string(),
    reason: z.string(),
    created_at: z.string(),
    resolved_at: z.string().nullable(),
    resolution: z.enum(['released', 'invalidated']).nullable(),
    resolved_by: z.string().nullable(),
    note: z.string().nullable(),
    order: z
      .object({
        paid_at: z.string(),
        statuses: z.array(z.string()),
        commission: minorUnits,
        currency: z.string(),
      })
      .nullable(),
  })
  .meta({ id: 'FraudFlag' });
const resolvedJson = z.object({
  flag: flagJson,
  sub_orders: z.array(z.object({ sub_order_id: z.string(), status: z.string() })),
});
const flagParams = z.object({ id: z.string().max(64) });

function present(f: FlagView): z.infer<typeof flagJson> {
  return {
    id: f.id,
    order_id: f.orderId,
    sub_order_id: f.subOrderId,
    affiliate_id: f.affiliateId,
    signal: f.signal,
    signal_words: f.words,
    reason: f.reason,
    created_at: f.createdAt,
    resolved_at: f.resolvedAt,
    resolution: f.resolution,
    resolved_by: f.resolvedBy,
    note: f.note,
    order: f.order
      ? {
          paid_at: f.order.paidAt,
          statuses: f.order.statuses,
          commission: bigintToJson(f.order.commissionMinor),
          currency: f.order.currency,
        }
      : null,
  };
}

function presentResolved(r: Resolved): z.infer<typeof resolvedJson> {
  return {
    flag: present(r.flag),
    sub_orders: r.subOrders.map((s) => ({ sub_order_id: s.subOrderId, status: s.status })),
  };
}

/**
 * The operator's review of fraud flags (operator token): list them, release one (the
 * commission settles at the next job run when due) or invalidate its order (the commission
 * is voided). Each flag is resolved once: the second time is a 409.
 */
export function fraudRoutes(parent: App, ctx: Ctx): void {
  parent.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    // The token first, before validation: without one every route answers 401.
    const operators = new WeakMap<object, string>();
    app.addHook('onRequest', async (request) => {
      operators.set(request, await authenticateOperator(ctx, request));
    });
    const operatorOf = (request: object) => operators.get(request) as string;

    // GET /api/operator/v1/flags — fraud flags newest first: open ones unless open=false
    app.get(
      PREFIX,
      {
        schema: {
          summary: 'List fraud flags (open ones by default), newest first',
          tags,
          querystring: z
            .object({
              open: z.enum(['true', 'false']).default('true'),
              signal: z.enum(FRAUD_SIGNALS).optional(),
              affiliate_id: z.string().min(1).max(64).optional(),
              before: z.string().min(1).max(64).optional(),
              limit: z.coerce.number().int().min(1).max(MAX_FLAG_PAGE).default(50),
            })
            .strict(),
          response: {
            200: z.object({ flags: z.array(flagJson), next_before: z.string().nullable() }),
            ...errorResponses(400, 401),
          },
        },
      },
      async (request) => {
        const { open, signal, affiliate_id, before, limit } = request.query;
        const flags = await listFlags(ctx.db, {
          open: open === 'true',
          limit,
          ...(signal ? { signal } : {}),
          ...(affiliate_id ? { affiliate_id } : {}),
          ...(before ? { before } : {}),
        });
        return {
          flags: flags.map(present),
          next_before: flags.length === limit ? (flags.at(-1)?.id ?? null) : null,
        };
      },
    );

    // POST /api/operator/v1/flags/:id/release — release a flag: the commission is no longer held
    app.post(
      `${PREFIX}/:id/release`,
      {
        schema: {
          summary: "Release a fraud flag: the order's commission settles as usual",
          tags,
          params: flagParams,
          body: z
            .object({ note: z.string().max(MAX_NOTE_CHARS).optional() })
            .strict()
            .default({}),
          response: { 200: resolvedJson, ...errorResponses(400, 401, 404, 409) },
        },
      },
      async (request) =>
        presentResolved(
          await releaseFlag(ctx, {
            flagId: request.params.id,
            operator: operatorOf(request),
            note: request.body?.note,
          }),
        ),
    );

    // POST /api/operator/v1/flags/:id/invalidate — invalidate the flagged order: its commission is voided
    app.post(
      `${PREFIX}/:id/invalidate`,
      {
        schema: {
          summary: 'Invalidate the flagged order (a note is required): its commission is voided',
          tags,
          params: flagParams,
          body: z.object({ note: z.string().max(MAX_NOTE_CHARS) }).strict(),
          response: { 200: resolvedJson, ...errorResponses(400, 401, 404, 409) },
        },
      },
      async (request) =>
        presentResolved(
          await invalidateFlag(ctx, {
            flagId: request.params.id,
            operator: operatorOf(request),
            note: request.body.note,
          }),
        ),
    );
  });
}
