import Papa from 'papaparse';
import type { Ctx } from '../context.js';
import { formatDecimal } from '../money.js';
import {
  MAX_SELLER_ORDERS_PAGE,
  type SellerReportFilter,
  sellerOrders,
  sellerReport,
} from './seller-reports.js';

// RFC 4180 with CRLF; cells that a spreadsheet would run as a formula are escaped, but not
// a negative amount (a correction's "-18.39" is a number, not a formula).
export const CSV = { newline: '\r\n', escapeFormulae: /^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/ };
/** Pages of the orders CSV: 1,000 rows each, so at most 1,000,000 rows. */
const MAX_PAGES = 1_000;

/** A seller's report (sellerReport) as CSV: a header row, amounts as decimals of their currency. */
export async function sellerReportCsv(
  ctx: Pick<Ctx, 'db' | 'dialect'>,
  sellerId: string,
  by: 'day' | 'product' | 'category',
  filter: SellerReportFilter,
): Promise<string> {
  const rows = await sellerReport(ctx, sellerId, by, filter);
  const header = [
    by,
    by === 'day' ? 'day_label' : 'name',
    'orders',
    'sub_orders',
    'sales',
    'commission_estimated',
    'commission_settled',
    'commission_invalid',
    'currency',
  ];
  return `${Papa.unparse(
    [
      header,
      ...rows.map((r) => [
        r.key,
        r.label,
        r.orders,
        r.subOrders,
        formatDecimal(r.salesMinor, r.currency),
        formatDecimal(r.estimatedMinor, r.currency),
        formatDecimal(r.settledMinor, r.currency),
        formatDecimal(r.invalidMinor, r.currency),
        r.currency,
      ]),
    ],
    CSV,
  )}\r\n`;
}

const ORDER_COLUMNS = [
  'paid_at',
  'order_id',
  'sub_order_id',
  'store_id',
  'product_id',
  'product_title',
  'status',
  'sales',
  'rate_percent',
  'commission',
  'commission_settled',
  'currency',
];

/**
 * A seller's affiliate-driven sub-orders (sellerOrders) as CSV, streamed a page at a time by
 * keyset as the chunks are consumed: the rate each was locked at, amounts as decimals.
 */
export async function sellerOrdersCsv(
  ctx: Pick<Ctx, 'db' | 'dialect'>,
  sellerId: string,
  query: { from: Date; to: Date; storeId?: string },
): Promise<AsyncIterable<string>> {
  // The first page is read now, so a bad range or store is refused before any byte is sent.
  const first = await sellerOrders(ctx, sellerId, { ...query, limit: MAX_SELLER_ORDERS_PAGE });
  async function* chunks(): AsyncGenerator<string> {
    yield `${Papa.unparse([ORDER_COLUMNS], CSV)}\r\n`;
    let page = first;
    for (let n = 0; n < MAX_PAGES; n += 1) {
      if (page.rows.length > 0)
        yield `${Papa.unparse(
          page.rows.map((r) => [
            r.paidAt,
            r.orderId,
            r.subOrderId,
            r.storeId,
            r.productId,
            r.productTitle,
            r.status,
            formatDecimal(r.salesMinor, r.currency),
            (r.rateBp / 100).toFixed(2),
            formatDecimal(r.commissionMinor, r.currency),
            r.settledMinor === null ? '' : formatDecimal(r.settledMinor, r.currency),
            r.currency,
          ]),
          CSV,
        )}\r\n`;
      if (page.next === null) return;
      page = await sellerOrders(ctx, sellerId, {
        ...query,
        after: page.next,
        limit: MAX_SELLER_ORDERS_PAGE,
      });
    }
  }
  return chunks();
}
