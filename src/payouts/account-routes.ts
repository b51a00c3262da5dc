import { z } from 'zod';
import { bankAccountInput, setBankAccount } from '../affiliates/bank-accounts.js';
import { currentBankAccount } from '../affiliates/payout-accounts.js';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses, minorUnits as minor } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import { MAX_STATEMENT_PAGE } from '../ledger/account-statement.js';
import { bigintToJson } from '../lib/json.js';
import type { App } from '../server.js';
import { getBalances } from './balances.js';
import { getStatement } from './statement.js';

const bankAccount = z
  .object({
    id: z.string(),
    kind: z.enum(['iban', 'swift']),
    holder_name: z.string(),
    country: z.string(),
    account: z.string(),
    bic: z.string().nullable(),
    status: z.enum(['active', 'needs_update', 'replaced']),
    flag_reason: z.string().nullable(),
  })
  .meta({ id: 'BankAccount' });
const authErrors = errorResponses(401, 403);
const tags = ['payouts'];

/** The affiliate's money: balances, statement and the bank account payouts go to. */
export function accountRoutes(app: App, ctx: Ctx): void {
  // GET /api/v1/balance — every state of the affiliate's money
  app.get(
    '/api/v1/balance',
    {
      schema: {
        summary: 'Balances: estimated, available, in transit, paid out, negative carry',
        tags,
        response: {
          200: z.object({
            currency: z.string(),
            estimated: minor,
            available: minor,
            in_transit: minor,
            paid_out: minor,
            fees_paid: minor,
            negative_carry: minor,
          }),
          ...authErrors,
        },
      },
    },
    async (request) => {
      const b = await getBalances(ctx, await authenticate(ctx, request, 'payouts:read'));
      return {
        currency: b.currency,
        estimated: bigintToJson(b.estimatedMinor),
        available: bigintToJson(b.availableMinor),
        in_transit: bigintToJson(b.inTransitMinor),
        paid_out: bigintToJson(b.paidOutMinor),
        fees_paid: bigintToJson(b.feesPaidMinor),
        negative_carry: bigintToJson(b.negativeCarryMinor),
      };
    },
  );

  // GET /api/v1/statement — every ledger movement, oldest first, with its explanation
  app.get(
    '/api/v1/statement',
    {
      schema: {
        summary: 'Statement: every ledger movement of the affiliate',
        tags,
        querystring: z.object({
          after: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_STATEMENT_PAGE).default(100),
        }),
        response: {
          200: z.object({
            currency: z.string(),
            entries: z.array(
              z.object({
                id: z.string(),
                created_at: z.string(),
                code: z.string(),
                kind: z.string(),
                explanation: z.string().nullable(),
                amount: minor,
                estimated_change: minor,
                available_change: minor,
                in_transit_change: minor,
              }),
            ),
            next_cursor: z.string().nullable(),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'payouts:read');
      const { after, limit } = request.query;
      const s = await getStatement(ctx, affiliateId, { afterId: after, limit });
      return {
        currency: s.currency,
        entries: s.entries.map((e) => ({
          id: e.id,
          created_at: e.createdAt,
          code: e.code,
          kind: e.kind,
          explanation: e.explanation,
          amount: bigintToJson(e.amountMinor),
          estimated_change: bigintToJson(e.estimatedDeltaMinor),
          available_change: bigintToJson(e.availableDeltaMinor),
          in_transit_change: bigintToJson(e.inTransitDeltaMinor),
        })),
        next_cursor: s.nextCursor,
      };
    },
  );

  // GET /api/v1/bank-account — the payout account on file (masked)
  app.get(
    '/api/v1/bank-account',
    {
      schema: {
        summary: 'The payout bank account on file',
        tags,
        response: { 200: bankAccount.nullable(), ...authErrors },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'payouts:read');
      const a = await currentBankAccount(ctx.db, affiliateId);
      return a ? presentAccount(a) : null;
    },
  );

  // PUT /api/v1/bank-account — set a new payout account (clears a "needs update" flag)
  app.put(
    '/api/v1/bank-account',
    {
      schema: {
        summary: 'Set the payout bank account: an IBAN, or an account number with SWIFT/BIC',
        tags,
        body: bankAccountInput,
        response: { 200: bankAccount, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'payouts:write');
      return presentAccount(await setBankAccount(ctx, affiliateId, request.body));
    },
  );
}

function presentAccount(
  a: Awaited<ReturnType<typeof setBankAccount>>,
): z.infer<typeof bankAccount> {
  return {
    id: a.id,
    kind: a.kind,
    holder_name: a.holderName,
    country: a.country,
    account: a.accountMasked,
    bic: a.bic,
    status: a.status,
    flag_reason: a.flagReason ?? null,
  };
}
