import Papa from 'papaparse';
import { z } from 'zod';
import { listTrackingIds } from '../affiliates/tracking-ids.js';
import { productSummaries } from '../catalog/products-by-ids.js';
import type { Ctx } from '../context.js';
import { debitSumsByRef } from '../ledger/debit-sums-by-ref.js';
import { parseInput } from '../lib/parse-input.js';
import {
  type AffiliateSubOrder,
  affiliateSubOrdersPaidBetween,
  MAX_EXPORT_PAGE,
  type SubOrderPosition,
} from '../orders/affiliate-sub-orders.js';
import { day, MAX_RANGE_DAYS } from './schema.js';

export const orderExportInput = z
  .object({ affiliateId: z.string().min(1).max(64), from: day, to: day })
  .strict()
  .refine((q) => q.from <= q.to, 'from must not be after to')
  .refine(
    (q) => Date.parse(q.to) - Date.parse(q.from) < MAX_RANGE_DAYS * 86_400_000,
    `at most ${MAX_RANGE_DAYS} days at a time`,
  );

export const ORDER_CSV_COLUMNS = [
  'order_id',
  'sub_order_id',
  'paid_at',
  'status',
  'invalid_reason',
  'tracking_id',
  'sub1',
  'product_id',
  'product_title',
  'quantity',
  'paid_minor',
  'currency',
  'rate_bp',
  'settlement_currency',
  'estimated_commission_minor',
  'settled_commission_minor',
  'clawed_back_minor',
  'final_commission_minor',
  'confirmed_at',
  'settled_at',
] as const;
/** 1,000 rows a page: a 10,000,000-row export stops there. */
const MAX_PAGES = 10_000;
const CSV = { newline: '\r\n', escapeFormulae: true } as const;

/**
 * An affiliate's sub-orders paid between two UTC days as CSV (RFC 4180, CRLF): a row per
 * sub-order with its status, estimated commission (locked at payment), what settlement
 * posted, what refunds after settlement took back and the final commission (settled less
 * clawed back; 0 when Invalid, empty while not final). Amounts are minor units of the
 * settlement currency. The input is checked at once; rows are read a page at a time by
 * keyset as the returned chunks are consumed, so memory stays flat however long the export.
 */
export async function exportOrdersCsv(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  input: z.input<typeof orderExportInput>,
): Promise<{ filename: string; chunks: AsyncIterable<string> }> {
  const q = parseInput(orderExportInput, input);
  const names = new Map((await listTrackingIds(ctx.db, q.affiliateId)).map((t) => [t.id, t.name]));
  // Clawbacks are few, and read once: each is the affiliate's, refunds after settlement.
  const clawedBack = new Map<string, bigint>();
  for (const c of await debitSumsByRef(ctx.db, {
    ownerId: q.affiliateId,
    kind: 'affiliate',
    code: 'clawback',
  }))
    clawedBack.set(c.ref, (clawedBack.get(c.ref) ?? 0n) + c.amountMinor);
  const from = new Date(`${q.from}T00:00:00.000Z`);
  const to = new Date(`${q.to}T23:59:59.999Z`);

  async function* chunks(): AsyncGenerator<string> {
    yield `${Papa.unparse([[...ORDER_CSV_COLUMNS]], CSV)}\r\n`;
    let after: SubOrderPosition | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const subs = await affiliateSubOrdersPaidBetween(ctx.db, q.affiliateId, {
        from,
        to,
        after,
        limit: MAX_EXPORT_PAGE,
      });
      if (subs.length === 0) return;
      const titles = await productSummaries(
        ctx,
        subs.map((s) => s.productId),
      );
      const rows = subs.map((s) =>
        orderRow(s, names, titles.get(s.productId)?.title ?? null, clawedBack.get(s.subOrderId)),
      );
      yield `${Papa.unparse(rows, CSV)}\r\n`;
      const last = subs.at(-1) as AffiliateSubOrder;
      after = { paidAt: last.paidAt, subOrderId: last.subOrderId };
      if (subs.length < MAX_EXPORT_PAGE) return;
    }
  }
  return { filename: `orders-${q.from}-${q.to}.csv`, chunks: chunks() };
}

function orderRow(
  s: AffiliateSubOrder,
  names: ReadonlyMap<string, string>,
  title: string | null,
  clawedBackMinor: bigint | undefined,
): (string | bigint | null)[] {
  const settled = s.status === 'completed_settlement' ? (s.settledMinor ?? 0n) : null;
  const clawed = settled === null ? null : (clawedBackMinor ?? 0n);
  const final =
    s.status === 'invalid' ? 0n : settled !== null && clawed !== null ? settled - clawed : null;
  return [
    s.orderId,
    s.subOrderId,
    s.paidAt,
    s.status,
    s.invalidReason,
    s.trackingId ? (names.get(s.trackingId) ?? s.trackingId) : null,
    s.sub1,
    s.productId,
    title,
    s.quantity,
    s.paidMinor,
    s.currency,
    s.rateBp,
    s.settlementCurrency,
    s.commissionMinor,
    settled,
    clawed,
    final,
    s.confirmedAt,
    s.settledAt,
  ];
}
