import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../context.js';
import { AppError, isAppError } from '../../errors.js';
import { type BankFileFormat, exportBatch } from '../../payouts/export-batch.js';
import { importResults } from '../../payouts/import-results.js';
import { findPayoutBatch } from '../../payouts/operator-queries.js';
import type { LineProblem } from '../../payouts/read-results-file.js';
import { parseForm } from '../forms.js';
import { operatorOf } from '../guards.js';
import { readMultipartBodies, type Upload } from '../multipart-body.js';
import { seeOther } from '../plugin.js';
import { pathId, storable } from './inputs.js';
import { showPayouts } from './payouts.js';

/** A bank's results file is at most this big (a million lines of ~30 bytes fit). */
export const MAX_RESULTS_BYTES = 64 * 1024 * 1024;

const exportForm = z.object({
  format: z.enum(['sepa', 'csv'], { error: 'SEPA or wire' }),
});

const FILES: Record<BankFileFormat, { ext: string; type: string }> = {
  sepa: { ext: 'xml', type: 'application/xml; charset=utf-8' },
  csv: { ext: 'csv', type: 'text/csv; charset=utf-8' },
};

/** An uploaded file as the upload hook leaves it in the body. */

/**
 * Writes a batch's file through `exportBatch` into a directory of its own under the system's
 * temporary directory: it writes whole files only, and the caller streams it and removes it.
 */
async function exportToTemp(
  ctx: Ctx,
  format: BankFileFormat,
  batchId?: string,
): Promise<{ dir: string; file: string; batch: Awaited<ReturnType<typeof exportBatch>> }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'affnet-bank-file-'));
  const file = path.join(dir, `batch.${FILES[format].ext}`);
  try {
    return { dir, file, batch: await exportBatch(ctx, { format, file, batchId }) };
  } catch (error) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** POST /console/payouts/export, GET …/batches/:id/file — bank files made and downloaded. */
export function bankFileRoutes(web: FastifyInstance, ctx: Ctx): void {
  // POST /console/payouts/export — claim the rail's waiting withdrawals for a new bank file
  web.post('/console/payouts/export', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const form = parseForm(exportForm, request.body);
    if (!form.ok)
      return showPayouts(ctx, request, reply, operator, { exportForm: form.state, status: 422 });
    let exported: Awaited<ReturnType<typeof exportToTemp>>;
    try {
      exported = await exportToTemp(ctx, form.data.format);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'payout_debtor_missing') throw error;
      const message =
        'Set the account payouts are paid from (holder, IBAN, BIC) in the program settings first.';
      const state = { values: form.values, errors: {}, message };
      return showPayouts(ctx, request, reply, operator, { exportForm: state, status: 422 });
    }
    await fs.promises.rm(exported.dir, { recursive: true, force: true });
    return seeOther(reply, `/console/payouts?done=${exported.batch ? 'exported' : 'nothing'}`);
  });

  // GET /console/payouts/batches/:id/file — a batch's bank file, the same bytes every time
  web.get<{ Params: { id: string } }>(
    '/console/payouts/batches/:id/file',
    async (request, reply) => {
      const operator = operatorOf(request, reply);
      if (!operator) return reply;
      const id = pathId(request.params.id, 'payout_batch_not_found', 'bank file');
      const batch = await findPayoutBatch(ctx.db, id);
      if (!batch || batch.rail === 'manual')
        throw new AppError('payout_batch_not_found', `no bank file ${request.params.id}`);
      const format: BankFileFormat = batch.rail === 'sepa' ? 'sepa' : 'csv';
      const { dir, file } = await exportToTemp(ctx, format, batch.id);
      const stream = fs.createReadStream(file);
      stream.once('close', () => void fs.promises.rm(dir, { recursive: true, force: true }));
      return reply
        .type(FILES[format].type)
        .header('content-disposition', `attachment; filename="${batch.id}.${FILES[format].ext}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
}

/**
 * POST /console/payouts/results — the bank's results file, uploaded as multipart/form-data.
 * The multipart parser lives in this scope only; the file is read into the body before the
 * CSRF check (which reads `_csrf` from it), bounded by MAX_RESULTS_BYTES.
 */
export async function resultsUpload(scope: FastifyInstance, ctx: Ctx): Promise<void> {
  await scope.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_RESULTS_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1024 },
  });
  readMultipartBodies(scope);

  scope.post('/console/payouts/results', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const upload = (request.body as { results?: unknown } | undefined)?.results as
      | Upload
      | undefined;
    const refuse = (message: string, problems: readonly LineProblem[] = []) =>
      showPayouts(ctx, request, reply, operator, { refusal: { message, problems }, status: 422 });
    if (!upload || typeof upload !== 'object' || !upload.filename)
      return refuse('Choose the results file the bank sent.');
    if (upload.text === undefined)
      return refuse(`The file is over ${MAX_RESULTS_BYTES / 1024 / 1024} MiB: split it in parts.`);
    if (!storable(upload.text)) return refuse(`${upload.filename} is not a text file.`);
    let summary: Awaited<ReturnType<typeof importResults>>;
    try {
      summary = await importResults(ctx, upload.text);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'invalid_results_file') throw error;
      const problems = Array.isArray(error.details) ? (error.details as LineProblem[]) : [];
      return refuse(`${upload.filename} was refused.`, problems);
    }
    const q = new URLSearchParams({
      done: 'imported',
      succeeded: String(summary.succeeded),
      failed: String(summary.failed),
      returned: String(summary.returned),
      unchanged: String(summary.unchanged),
    });
    return seeOther(reply, `/console/payouts?${q}`);
  });
}
