import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getAffiliate, listAffiliates } from '../affiliates/queries.js';
import { affiliateStatuses } from '../affiliates/schema.js';
import { setAffiliateStatus } from '../affiliates/set-affiliate-status.js';
import { rateFor } from '../catalog/rate-for.js';
import { commissionRuleInput, enrollmentInput } from '../catalog/schema.js';
import { setCommissionRate } from '../catalog/set-commission-rate.js';
import { setEnrollment } from '../catalog/set-enrollment.js';
import type { Ctx } from '../context.js';
import { setFxRate } from '../fx/set-fx-rate.js';
import { toJson } from '../lib/json.js';
import type { App } from '../server.js';
import { getSettings } from '../settings/get-settings.js';
import { updateSettings } from '../settings/update-settings.js';
import { authenticateOperator } from './operator-auth.js';
import { errorResponses } from './schemas.js';

const tags = ['operator'];
const json = (value: unknown) => JSON.parse(toJson(value)) as unknown;
const PREFIX = '/api/operator/v1';

/**
 * The operator's API (an operator token, `affnet operator token`): program settings,
 * affiliates, sellers' plans and exchange rates — the same services as the commands.
 */
export function operatorRoutes(parent: App, ctx: Ctx): void {
  parent.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    // The token is checked before anything else, validation included: without one, every
    // operator route answers 401 and reveals nothing of what it expects.
    const operators = new WeakMap<object, string>();
    app.addHook('onRequest', async (request) => {
      operators.set(request, await authenticateOperator(ctx, request));
    });
    const operatorOf = (request: object) => operators.get(request) as string;
    // GET /api/operator/v1/settings — the program settings in force now
    app.get(
      `${PREFIX}/settings`,
      {
        schema: {
          summary: 'Program settings in force',
          tags,
          response: { 200: z.record(z.string(), z.unknown()), ...errorResponses(401) },
        },
      },
      async () => json(await getSettings(ctx.db, ctx.clock.now())) as Record<string, unknown>,
    );

    // PUT /api/operator/v1/settings — change settings, now or from a future date
    app.put(
      `${PREFIX}/settings`,
      {
        schema: {
          summary: 'Change program settings (all valid, or nothing changes)',
          tags,
          body: z
            .object({
              values: z.record(z.string().max(64), z.unknown()),
              effective_from: z.iso.datetime().optional(),
            })
            .strict(),
          response: { 200: z.record(z.string(), z.unknown()), ...errorResponses(400, 401, 422) },
        },
      },
      async (request) => {
        const operator = operatorOf(request);
        const { values, effective_from } = request.body;
        const settings = await updateSettings(ctx, {
          values,
          changedBy: operator,
          ...(effective_from ? { effectiveFrom: new Date(effective_from) } : {}),
        });
        return json(settings) as Record<string, unknown>;
      },
    );

    // GET /api/operator/v1/affiliates — affiliates in id order, optionally of one status
    app.get(
      `${PREFIX}/affiliates`,
      {
        schema: {
          summary: 'List affiliates',
          tags,
          querystring: z.object({
            status: z.enum(affiliateStatuses).optional(),
            after: z.string().max(64).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: {
            200: z.object({ affiliates: z.array(z.unknown()) }),
            ...errorResponses(400, 401),
          },
        },
      },
      async (request) => {
        const { status, after, limit } = request.query;
        return {
          affiliates: json(await listAffiliates(ctx.db, { status, after, limit })) as unknown[],
        };
      },
    );

    // GET /api/operator/v1/affiliates/:id — one affiliate
    app.get(
      `${PREFIX}/affiliates/:id`,
      {
        schema: {
          summary: 'One affiliate',
          tags,
          params: z.object({ id: z.string().max(64) }),
          response: { 200: z.unknown(), ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        return json(await getAffiliate(ctx.db, request.params.id));
      },
    );

    // POST /api/operator/v1/affiliates/:id/status — approve, suspend, reinstate or ban
    app.post(
      `${PREFIX}/affiliates/:id/status`,
      {
        schema: {
          summary: 'Approve, suspend, reinstate or ban an affiliate',
          tags,
          params: z.object({ id: z.string().max(64) }),
          body: z
            .object({ status: z.enum(affiliateStatuses), reason: z.string().max(500).optional() })
            .strict(),
          response: {
            200: z.object({ id: z.string(), status: z.enum(affiliateStatuses) }),
            ...errorResponses(400, 401, 404, 409),
          },
        },
      },
      async (request) => {
        return setAffiliateStatus(ctx, request.params.id, request.body.status, request.body.reason);
      },
    );

    // POST /api/operator/v1/plans/rates — a commission rule (store, category, product, hot product, program category)
    app.post(
      `${PREFIX}/plans/rates`,
      {
        schema: {
          summary: 'Set a commission rule, now or from a future date',
          tags,
          body: commissionRuleInput.omit({ createdBy: true }),
          response: { 201: z.unknown(), ...errorResponses(400, 401, 404, 422) },
        },
      },
      async (request, reply) => {
        const operator = operatorOf(request);
        const rule = await setCommissionRate(ctx, { ...request.body, createdBy: operator });
        return reply.code(201).send(json(rule));
      },
    );

    // POST /api/operator/v1/plans/enrollments — a store, category or product in or out of the program
    app.post(
      `${PREFIX}/plans/enrollments`,
      {
        schema: {
          summary: 'Enroll a store, category or product, or take it out',
          tags,
          body: enrollmentInput.omit({ createdBy: true }),
          response: { 201: z.unknown(), ...errorResponses(400, 401, 404, 422) },
        },
      },
      async (request, reply) => {
        const operator = operatorOf(request);
        return reply
          .code(201)
          .send(json(await setEnrollment(ctx, { ...request.body, createdBy: operator })));
      },
    );

    // GET /api/operator/v1/plans/products/:id/rate — a product's rate now, and the rule behind it
    app.get(
      `${PREFIX}/plans/products/:id/rate`,
      {
        schema: {
          summary: "A product's rate now and why",
          tags,
          params: z.object({ id: z.string().max(64) }),
          response: { 200: z.unknown(), ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        return json(await rateFor(ctx.db, request.params.id, ctx.clock.now()));
      },
    );

    // POST /api/operator/v1/fx-rates — an exchange rate into the settlement currency
    app.post(
      `${PREFIX}/fx-rates`,
      {
        schema: {
          summary: 'Record an exchange rate into the settlement currency',
          tags,
          body: z
            .object({
              currency: z.string().max(3),
              rate: z.string().max(40),
              effective_at: z.iso.datetime().optional(),
            })
            .strict(),
          response: { 201: z.unknown(), ...errorResponses(400, 401, 422) },
        },
      },
      async (request, reply) => {
        const { currency, rate, effective_at } = request.body;
        const stored = await setFxRate(ctx, {
          currency,
          rate,
          ...(effective_at ? { effectiveAt: new Date(effective_at) } : {}),
        });
        return reply.code(201).send(stored);
      },
    );
  });
}
