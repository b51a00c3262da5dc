import { z } from 'zod';
import { errorResponses } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import { AppError, isAppError } from '../errors.js';
import type { App } from '../server.js';
import { SELLER_PREFIX, sellerTags as tags } from './api-prefix.js';
import { applyRatesImport, previewRatesImport } from './import-rates.js';
import { MAX_RATES_FILE_BYTES } from './rates-file.js';
import { sellerEnrollmentInput, setSellerEnrollment } from './seller-enrollment.js';
import { sellerRateInput, setSellerRate } from './seller-rates.js';

const importRow = z.object({
  line: z.number().int(),
  productId: z.string(),
  storeId: z.string(),
  currentRateBp: z.number().int().nullable(),
  newRateBp: z.number().int(),
  effectiveFrom: z.string(),
  change: z.enum(['new', 'raise', 'lower', 'unchanged']),
});
const totals = z.object({
  rows: z.number().int(),
  new: z.number().int(),
  raise: z.number().int(),
  lower: z.number().int(),
  unchanged: z.number().int(),
});
/** A refused file: the usual error, and every bad row with its line and reason. */
const fileRefusal = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z
      .array(z.object({ line: z.number().int(), field: z.string().optional(), reason: z.string() }))
      .optional(),
  }),
});
// Room for the file and its line breaks as sent, whatever the CSV reader's own limit says.
const IMPORT_BODY_LIMIT_BYTES = MAX_RATES_FILE_BYTES + 64 * 1024;

/** The seller's rate and enrollment changes, one at a time or a file of product rates. */
export function sellerRateRoutes(app: App, ctx: Ctx, sellerOf: (request: object) => string): void {
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );

  // POST /api/seller/v1/rates — a store, category, product or hot-product rate, now or later
  app.post(
    `${SELLER_PREFIX}/rates`,
    {
      schema: {
        summary: 'Set a store, category, product or hot-product rate, now or from a future date',
        tags,
        body: sellerRateInput,
        response: { 201: z.unknown(), ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await setSellerRate(ctx, sellerOf(request), request.body)),
  );

  // POST /api/seller/v1/enrollments — enroll (or withdraw) a store, a category or a product
  app.post(
    `${SELLER_PREFIX}/enrollments`,
    {
      schema: {
        summary: 'Enroll or withdraw a whole store, a category or a product, now or later',
        tags,
        body: sellerEnrollmentInput,
        response: { 201: z.unknown(), ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await setSellerEnrollment(ctx, sellerOf(request), request.body)),
  );

  // POST /api/seller/v1/rates/import — a CSV of product rates: preview it, or apply it whole
  app.post(
    `${SELLER_PREFIX}/rates/import`,
    {
      bodyLimit: IMPORT_BODY_LIMIT_BYTES,
      // A JSON body would fail the schema with a puzzling message: say what to send instead.
      preValidation: async (request) => {
        if (!/^text\/csv\b/i.test(request.headers['content-type'] ?? ''))
          throw new AppError(
            'unsupported_media_type',
            'send the rates file as the body, with Content-Type: text/csv',
          );
      },
      schema: {
        summary: 'Preview or apply a file of product rates (all rows, or none)',
        description:
          'Body: `text/csv` with the header `product_id,rate_bp,effective_from` (empty = now, `2026-12-01` = midnight UTC, or an ISO date-time with its zone); at most 50,000 rows and 5 MiB. `dryRun=true` previews; otherwise every row is checked and, if none is bad, applied in one transaction (rows already in force are skipped). A bad file answers 422 `invalid_rates_file` with every bad row in `error.details`, and nothing is applied.',
        tags,
        consumes: ['text/csv'],
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
        body: z.string().max(IMPORT_BODY_LIMIT_BYTES),
        response: {
          200: z.object({
            dryRun: z.boolean(),
            applied: z.number().int(),
            message: z.string(),
            totals,
            rows: z.array(importRow),
          }),
          ...errorResponses(400, 401, 413, 415),
          422: fileRefusal,
        },
      },
    },
    async (request, reply) => {
      const sellerId = sellerOf(request);
      try {
        if (request.query.dryRun === 'true') {
          const preview = await previewRatesImport(ctx, sellerId, request.body);
          return { dryRun: true, applied: 0, message: 'preview: nothing applied', ...preview };
        }
        return { dryRun: false, ...(await applyRatesImport(ctx, sellerId, request.body)) };
      } catch (error) {
        if (isAppError(error) && error.code === 'invalid_rates_file')
          return reply.code(422).send({
            error: { code: error.code, message: error.message, details: error.details as never },
          });
        throw error;
      }
    },
  );
}
