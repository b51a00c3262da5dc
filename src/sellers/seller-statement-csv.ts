import Papa from 'papaparse';
import type { Ctx } from '../context.js';
import { formatDecimal } from '../money.js';
import { CSV } from './seller-reports-csv.js';
import { MAX_STATEMENT_PAGE, sellerStatement } from './seller-statement.js';

const COLUMNS = [
  'at',
  'transfer_id',
  'kind',
  'order_id',
  'sub_order_id',
  'product_id',
  'sale',
  'commission',
  'amount',
  'balance',
  'currency',
];
/** 1,000 lines a page: at most 1,000,000 lines. */
const MAX_PAGES = 1_000;

/**
 * A seller's statement (sellerStatement) as CSV, streamed a page at a time as the chunks are
 * consumed: a header row, then each release and correction with the running balance,
 * amounts as decimals of the currency.
 */
export async function sellerStatementCsv(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'clock'>,
  sellerId: string,
  query: { currency?: string } = {},
): Promise<AsyncIterable<string>> {
  // The first page is read now, so a bad currency is refused before any byte is sent.
  const first = await sellerStatement(ctx, sellerId, { ...query, limit: MAX_STATEMENT_PAGE });
  async function* chunks(): AsyncGenerator<string> {
    yield `${Papa.unparse([COLUMNS], CSV)}\r\n`;
    let page = first;
    for (let n = 0; n < MAX_PAGES; n += 1) {
      if (page.lines.length > 0)
        yield `${Papa.unparse(
          page.lines.map((l) => [
            l.at,
            l.transferId,
            l.kind,
            l.orderId,
            l.subOrderId,
            l.productId,
            formatDecimal(l.saleMinor, l.currency),
            formatDecimal(l.commissionMinor, l.currency),
            formatDecimal(l.amountMinor, l.currency),
            formatDecimal(l.balanceMinor, l.currency),
            l.currency,
          ]),
          CSV,
        )}\r\n`;
      if (page.next === null) return;
      page = await sellerStatement(ctx, sellerId, {
        currency: page.currency,
        after: page.next,
        limit: MAX_STATEMENT_PAGE,
      });
    }
  }
  return chunks();
}
