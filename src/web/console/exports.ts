import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { affiliateEmails } from '../../affiliates/queries.js';
import type { Ctx } from '../../context.js';
import type { SubOrderStatus } from '../../db/types.js';
import { formatDecimal } from '../../money.js';
import {
  MAX_OPERATOR_PAGE,
  subOrderStatuses,
  subOrdersAfter,
} from '../../orders/operator-orders.js';
import { MAX_EXPORT_PAGE, withdrawalsAfter } from '../../payouts/operator-queries.js';
import { csvField } from '../../payouts/wire-csv.js';
import { operatorOf } from '../guards.js';
import { percentText, queryText } from './inputs.js';

/** At most this many pages per export: 10 million rows. */
const MAX_PAGES = 10_000;

/** A CSV line: text cells escaped (and defused for spreadsheets), number cells as they are. */
function line(cells: readonly (string | { n: string })[]): string {
  return `${cells.map((c) => (typeof c === 'string' ? csvField(c) : c.n)).join(',')}\r\n`;
}
const num = (minor: bigint | null, currency: string) =>
  minor === null ? '' : { n: formatDecimal(minor, currency) };

function sendCsv(reply: FastifyReply, name: string, rows: AsyncGenerator<string>): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(rows));
}

const ORDER_COLUMNS = [
  'order_id',
  'sub_order_id',
  'affiliate_id',
  'affiliate_email',
  'paid_at',
  'product_id',
  'quantity',
  'status',
  'invalid_reason',
  'sale',
  'currency',
  'rate_percent',
  'commission',
  'settled',
  'settlement_currency',
  'fx_rate',
  'confirmed_at',
  'settled_at',
];

const WITHDRAWAL_COLUMNS = [
  'withdrawal_id',
  'affiliate_id',
  'affiliate_email',
  'state',
  'rail',
  'source',
  'period',
  'amount',
  'fee',
  'net',
  'currency',
  'batch_id',
  'requested_at',
  'sent_at',
  'succeeded_at',
  'failed_at',
  'reason_code',
  'reason_text',
];

/** GET /console/exports/orders.csv, …/withdrawals.csv — streamed a page at a time, by key. */
export function exportRoutes(web: FastifyInstance, ctx: Ctx): void {
  const day = () => ctx.clock.now().toISOString().slice(0, 10);

  // GET /console/exports/orders.csv?status= — every sub-order (optionally of one status)
  web.get('/console/exports/orders.csv', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const statusText = queryText(request.query, 'status', 40);
    const status = subOrderStatuses.find((s) => s === statusText) as SubOrderStatus | undefined;
    async function* rows() {
      yield line(ORDER_COLUMNS);
      let after = '';
      for (let n = 0; n < MAX_PAGES; n += 1) {
        const page = await subOrdersAfter(ctx.db, {
          afterId: after,
          status,
          limit: MAX_OPERATOR_PAGE,
        });
        const emails = await affiliateEmails(
          ctx.db,
          page.flatMap((s) => (s.affiliateId ? [s.affiliateId] : [])),
        );
        for (const s of page)
          yield line([
            s.orderId,
            s.subOrderId,
            s.affiliateId ?? '',
            s.affiliateId ? (emails.get(s.affiliateId) ?? '') : '',
            s.paidAt,
            s.productId,
            { n: s.quantity.toString() },
            s.status,
            s.invalidReason ?? '',
            num(s.paidMinor, s.currency),
            s.currency,
            { n: percentText(s.rateBp) },
            num(s.commissionMinor, s.settlementCurrency),
            num(s.settledMinor, s.settlementCurrency),
            s.settlementCurrency,
            s.fxRate ?? '',
            s.confirmedAt ?? '',
            s.settledAt ?? '',
          ]);
        if (page.length < MAX_OPERATOR_PAGE) return;
        after = (page.at(-1) as { subOrderId: string }).subOrderId;
      }
    }
    return sendCsv(reply, `orders-${status ?? 'all'}-${day()}.csv`, rows());
  });

  // GET /console/exports/withdrawals.csv — every withdrawal, in id order
  web.get('/console/exports/withdrawals.csv', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    async function* rows() {
      yield line(WITHDRAWAL_COLUMNS);
      let after = '';
      for (let n = 0; n < MAX_PAGES; n += 1) {
        const page = await withdrawalsAfter(ctx.db, after, MAX_EXPORT_PAGE);
        const emails = await affiliateEmails(
          ctx.db,
          page.map((w) => w.affiliateId),
        );
        for (const w of page)
          yield line([
            w.id,
            w.affiliateId,
            emails.get(w.affiliateId) ?? '',
            w.stateLabel,
            w.rail,
            w.source,
            w.period ?? '',
            num(w.amountMinor, w.currency),
            num(w.feeMinor, w.currency),
            num(w.netMinor, w.currency),
            w.currency,
            w.batchId ?? '',
            w.requestedAt,
            w.sentAt ?? '',
            w.succeededAt ?? '',
            w.failedAt ?? '',
            w.reasonCode ?? '',
            w.reasonText ?? '',
          ]);
        if (page.length < MAX_EXPORT_PAGE) return;
        after = (page.at(-1) as { id: string }).id;
      }
    }
    return sendCsv(reply, `withdrawals-${day()}.csv`, rows());
  });
}
