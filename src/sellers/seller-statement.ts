import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { accountId } from '../ledger/accounts.js';
import { decodeCursor, encodeCursor } from '../lib/cursor.js';
import { getSettings } from '../settings/get-settings.js';
import { sellerAccounts } from './release-amounts.js';

export type StatementLine = {
  at: string;
  transferId: string;
  subOrderId: string;
  orderId: string;
  productId: string;
  kind: 'release' | 'correction';
  saleMinor: bigint;
  commissionMinor: bigint;
  /** + released, − corrected */
  amountMinor: bigint;
  /** running */
  balanceMinor: bigint;
  currency: string;
};

export const MAX_STATEMENT_PAGE = 1_000;
const isTransferId = (v: unknown): v is string =>
  typeof v === 'string' && /^trf_[0-9A-Za-z]{1,40}$/.test(v);

type StatementCtx = Pick<Ctx, 'db' | 'dialect' | 'clock'>;

/**
 * A seller's statement, read from the ledger: every release to its `seller_payable` account
 * of one currency (by default the account it has, the newest when several; with none yet,
 * the settlement currency now) and every correction after a refund, oldest first, with the
 * sale and the commission behind each (a correction's are the changes a refund made) and
 * the running balance. The balance before a page is summed from the ledger, so it is right
 * on every page whatever cursor is sent. `balanceMinor` is the account's balance now.
 */
export async function sellerStatement(
  ctx: StatementCtx,
  sellerId: string,
  query: { currency?: string; after?: string; limit: number },
): Promise<{
  lines: StatementLine[];
  balanceMinor: bigint;
  currency: string;
  next: string | null;
}> {
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_STATEMENT_PAGE);
  const after = query.after === undefined ? undefined : decodeCursor(query.after, isTransferId);
  const currency = await statementCurrency(ctx, sellerId, query.currency);
  const account = accountId(sellerAccounts(sellerId, currency).credit);
  const balanceMinor = await sumUpTo(ctx, account, undefined);
  const found = await ctx.db
    .selectFrom('ledger_transfers')
    .select(['id', 'created_at', 'code', 'ref', 'amount_minor', 'credit_account_id'])
    .where((eb) =>
      eb.or([eb('debit_account_id', '=', account), eb('credit_account_id', '=', account)]),
    )
    .$if(after !== undefined, (q) => q.where('id', '>', after as string))
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const page = found.slice(0, limit);
  const refs = [...new Set(page.map((t) => t.ref).filter((r): r is string => r !== null))];
  const subs = new Map(
    (refs.length === 0
      ? []
      : await ctx.db
          .selectFrom('sub_orders')
          .select(['sub_order_id', 'order_id', 'product_id'])
          .where('sub_order_id', 'in', refs)
          .execute()
    ).map((s) => [s.sub_order_id, s]),
  );
  // Each sub-order's commission moves (settlement, clawbacks) and seller moves, in id order.
  const history =
    refs.length === 0
      ? []
      : await ctx.db
          .selectFrom('ledger_transfers')
          .select(['id', 'ref', 'code', 'amount_minor'])
          .where('ref', 'in', refs)
          .where('code', 'in', [
            'commission_settlement',
            'clawback',
            'seller_release',
            'seller_release_correction',
          ])
          .execute();
  history.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let balance = after === undefined ? 0n : await sumUpTo(ctx, account, after);
  const lines = page.map((t): StatementLine => {
    const ref = t.ref ?? '';
    const sub = subs.get(ref);
    const credit = t.credit_account_id === account;
    const amountMinor = credit ? BigInt(t.amount_minor) : -BigInt(t.amount_minor);
    balance += amountMinor;
    const commissionMinor = commissionChange(history, ref, t.id, t.code);
    return {
      at: t.created_at,
      transferId: t.id,
      subOrderId: ref,
      orderId: sub?.order_id ?? '',
      productId: sub?.product_id ?? '',
      kind: t.code === 'seller_release' ? 'release' : 'correction',
      saleMinor: amountMinor + commissionMinor,
      commissionMinor,
      amountMinor,
      balanceMinor: balance,
      currency,
    };
  });
  const last = page[page.length - 1];
  return {
    lines,
    balanceMinor,
    currency,
    next: found.length > limit && last ? encodeCursor(last.id) : null,
  };
}

/**
 * The commission behind a seller transfer: for a release, what the affiliate holds at that
 * moment (posted at settlement, less clawbacks); for a correction, the clawbacks booked
 * since the seller's previous transfer for the sub-order (negative).
 */
function commissionChange(
  history: readonly { id: string; ref: string | null; code: string; amount_minor: bigint }[],
  ref: string,
  transferId: string,
  code: string,
): bigint {
  let sinceSellerMove = 0n;
  let held = 0n;
  for (const h of history) {
    if (h.ref !== ref || h.id >= transferId) continue;
    const amount = BigInt(h.amount_minor);
    if (h.code === 'commission_settlement') held += amount;
    else if (h.code === 'clawback') {
      held -= amount;
      sinceSellerMove -= amount;
    } else sinceSellerMove = 0n;
  }
  return code === 'seller_release' ? held : sinceSellerMove;
}

/** The account's balance (credits − debits, posted) over its transfers up to `uptoId`, or all. */
async function sumUpTo(ctx: StatementCtx, account: string, uptoId: string | undefined) {
  const upto = uptoId === undefined ? sql`` : sql`and id <= ${uptoId}`;
  const { rows } = await sql<{ credits: bigint | string | null; debits: bigint | string | null }>`
    select
      (select sum(amount_minor) from ledger_transfers where credit_account_id = ${account} ${upto}) as credits,
      (select sum(amount_minor) from ledger_transfers where debit_account_id = ${account} ${upto}) as debits`.execute(
    ctx.db,
  );
  const row = rows[0];
  return BigInt(row?.credits ?? 0) - BigInt(row?.debits ?? 0);
}

/** The currency asked for, else the seller's newest payable account's, else the program's now. */
async function statementCurrency(
  ctx: StatementCtx,
  sellerId: string,
  asked: string | undefined,
): Promise<string> {
  if (asked !== undefined) {
    if (!/^[A-Z]{3}$/.test(asked))
      throw new AppError('invalid_request', 'currency: an ISO 4217 code such as USD');
    return asked;
  }
  const newest = await ctx.db
    .selectFrom('ledger_accounts')
    .select('currency')
    .where('owner_id', '=', sellerId)
    .where('kind', '=', 'seller_payable')
    .orderBy('created_at', 'desc')
    .orderBy('currency')
    .executeTakeFirst();
  // No clock in this context: the settlement currency of the settings in force now.
  return newest?.currency ?? (await getSettings(ctx.db, ctx.clock.now())).settlementCurrency;
}
