import { z } from 'zod';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses, minorUnits as minor } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import { bigintToJson } from '../lib/json.js';
import type { App } from '../server.js';
import { getWithdrawal, listWithdrawals, MAX_WITHDRAWAL_PAGE } from './queries.js';
import { quoteWithdrawal, requestWithdrawal } from './request-withdrawal.js';
import type { Withdrawal } from './schema.js';

const amountBody = z
  .object({ amount: z.union([z.number().int().positive(), z.string().regex(/^\d{1,18}$/)]) })
  .strict();
const withdrawal = z
  .object({
    id: z.string(),
    state: z.enum(['Processing', 'Success', 'Failed', 'Returned']),
    rail: z.enum(['sepa', 'wire', 'manual']),
    currency: z.string(),
    amount: minor,
    fee: minor,
    net: minor,
    requested_at: z.string(),
    sent_at: z.string().nullable(),
    succeeded_at: z.string().nullable(),
    failed_at: z.string().nullable(),
    reason_code: z.string().nullable(),
    reason_text: z.string().nullable(),
    period: z.string().nullable(),
  })
  .meta({ id: 'Withdrawal' });
const tags = ['payouts'];

function present(w: Withdrawal): z.infer<typeof withdrawal> {
  return {
    id: w.id,
    state: w.stateLabel as z.infer<typeof withdrawal>['state'],
    rail: w.rail,
    currency: w.currency,
    amount: bigintToJson(w.amountMinor),
    fee: bigintToJson(w.feeMinor),
    net: bigintToJson(w.netMinor),
    requested_at: w.requestedAt,
    sent_at: w.sentAt,
    succeeded_at: w.succeededAt,
    failed_at: w.failedAt,
    reason_code: w.reasonCode,
    reason_text: w.reasonText,
    period: w.period,
  };
}

export function withdrawalRoutes(app: App, ctx: Ctx): void {
  // POST /api/v1/withdrawals/quote — the fee and net amount of a withdrawal, before confirming
  app.post(
    '/api/v1/withdrawals/quote',
    {
      schema: {
        summary: 'Quote a withdrawal: fee and net amount',
        tags,
        body: amountBody,
        response: {
          200: z.object({
            currency: z.string(),
            amount: minor,
            fee: minor,
            net: minor,
            available: minor,
            minimum: minor,
            rail: z.enum(['sepa', 'wire', 'manual']),
            bank_account: z.string(),
          }),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'payouts:read');
      const q = await quoteWithdrawal(ctx, affiliateId, BigInt(request.body.amount));
      return {
        currency: q.currency,
        amount: bigintToJson(q.amountMinor),
        fee: bigintToJson(q.feeMinor),
        net: bigintToJson(q.netMinor),
        available: bigintToJson(q.availableMinor),
        minimum: bigintToJson(q.minimumMinor),
        rail: q.rail,
        bank_account: q.bankAccount,
      };
    },
  );

  // POST /api/v1/withdrawals — withdraw (Idempotency-Key: the same request again is the first)
  app.post(
    '/api/v1/withdrawals',
    {
      schema: {
        summary: 'Withdraw from the available balance',
        description:
          'Moves the amount (fee included) from available to in transit. With an `Idempotency-Key` header, the same request again returns the first withdrawal (200); the same key with another amount is a 409.',
        tags,
        body: amountBody,
        headers: z.object({ 'idempotency-key': z.string().max(100).optional() }),
        response: {
          200: withdrawal,
          201: withdrawal,
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const affiliateId = await authenticate(ctx, request, 'payouts:write');
      const key = request.headers['idempotency-key'];
      const { withdrawal: w, replayed } = await requestWithdrawal(ctx, {
        affiliateId,
        amountMinor: BigInt(request.body.amount),
        ...(key ? { idempotencyKey: key } : {}),
      });
      return reply.code(replayed ? 200 : 201).send(present(w));
    },
  );

  // GET /api/v1/withdrawals — the affiliate's withdrawals, newest first
  app.get(
    '/api/v1/withdrawals',
    {
      schema: {
        summary: 'Withdrawals, newest first, with their state, dates, fee and reason',
        tags,
        querystring: z.object({
          before: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_WITHDRAWAL_PAGE).default(50),
        }),
        response: {
          200: z.object({ withdrawals: z.array(withdrawal), next_cursor: z.string().nullable() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'payouts:read');
      const { before, limit } = request.query;
      const list = await listWithdrawals(ctx.db, affiliateId, { beforeId: before, limit });
      const last = list.at(-1);
      return {
        withdrawals: list.map(present),
        next_cursor: list.length === limit && last ? last.id : null,
      };
    },
  );

  // GET /api/v1/withdrawals/:id — one withdrawal of the affiliate
  app.get(
    '/api/v1/withdrawals/:id',
    {
      schema: {
        summary: 'One withdrawal',
        tags,
        params: z.object({ id: z.string().max(64) }),
        response: { 200: withdrawal, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'payouts:read');
      return present(await getWithdrawal(ctx.db, request.params.id, affiliateId));
    },
  );
}
