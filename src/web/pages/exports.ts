import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Papa from 'papaparse';
import { z } from 'zod';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { formatDecimal } from '../../money.js';
import { listWithdrawals, MAX_WITHDRAWAL_PAGE } from '../../payouts/queries.js';
import { exportClicksCsv } from '../../reports/export-clicks-csv.js';
import { exportOrdersCsv } from '../../reports/export-orders-csv.js';
import { formValues } from '../forms.js';
import { affiliateOf } from '../guards.js';
import { errorPage, sendHtml } from '../plugin.js';

const CSV_TYPE = 'text/csv; charset=utf-8';
const CSV = { newline: '\r\n', escapeFormulae: true } as const;
const clicksQuery = z.object({
  by: z.enum(['day', 'tracking_id', 'sub1', 'country']).catch('day'),
});

function attachment(reply: FastifyReply, filename: string): FastifyReply {
  return reply.type(CSV_TYPE).header('content-disposition', `attachment; filename="${filename}"`);
}

/**
 * GET /exports/orders.csv, /exports/clicks.csv, /exports/withdrawals.csv — the affiliate's
 * own data as CSV, the same files as the REST API's; a bad range is a page saying why.
 */
export function exportPages(web: FastifyInstance, ctx: Ctx): void {
  const refused = (
    request: Parameters<typeof errorPage>[0],
    reply: FastifyReply,
    error: unknown,
  ) => {
    if (!isAppError(error) || error.status >= 500) throw error;
    return sendHtml(
      reply,
      errorPage(request, 'That export could not be made', error.message),
      error.status,
    );
  };

  web.get('/exports/orders.csv', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const { from = '', to = '' } = formValues(request.query);
    try {
      const file = await exportOrdersCsv(ctx, { affiliateId: session.affiliateId, from, to });
      return attachment(reply, file.filename).send(Readable.from(file.chunks));
    } catch (error) {
      return refused(request, reply, error);
    }
  });

  web.get('/exports/clicks.csv', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const values = formValues(request.query);
    try {
      const file = await exportClicksCsv(ctx.db, {
        affiliateId: session.affiliateId,
        from: values.from ?? '',
        to: values.to ?? '',
        by: clicksQuery.parse(values).by,
      });
      return attachment(reply, file.filename).send(file.text);
    } catch (error) {
      return refused(request, reply, error);
    }
  });

  web.get('/exports/withdrawals.csv', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const affiliateId = session.affiliateId;
    async function* rows(): AsyncGenerator<string> {
      yield `${Papa.unparse([['id', 'requested_at', 'state', 'currency', 'amount', 'fee', 'net', 'sent_at', 'succeeded_at', 'failed_at', 'reason_code', 'reason_text']], CSV)}\r\n`;
      let beforeId: string | undefined;
      for (let page = 0; page < 10_000; page += 1) {
        const list = await listWithdrawals(ctx.db, affiliateId, {
          beforeId,
          limit: MAX_WITHDRAWAL_PAGE,
        });
        if (list.length === 0) return;
        yield `${Papa.unparse(
          list.map((w) => [
            w.id,
            w.requestedAt,
            w.stateLabel,
            w.currency,
            formatDecimal(w.amountMinor, w.currency),
            formatDecimal(w.feeMinor, w.currency),
            formatDecimal(w.netMinor, w.currency),
            w.sentAt ?? '',
            w.succeededAt ?? '',
            w.failedAt ?? '',
            w.reasonCode ?? '',
            w.reasonText ?? '',
          ]),
          CSV,
        )}\r\n`;
        beforeId = list.at(-1)?.id;
      }
    }
    return attachment(reply, 'withdrawals.csv').send(Readable.from(rows()));
  });
}
