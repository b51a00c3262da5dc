import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import { takeWriteLock } from '../db/write-lock.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { formatBasisPoints } from '../money.js';
import { getSettings } from '../settings/get-settings.js';
import type { ProgramSettings } from '../settings/schema.js';
import { type RatesFileRow, type RowProblem, readRatesFile } from './rates-file.js';
import { productRulesOf, sellerProductsByIds } from './rates-import-queries.js';
import { getSeller } from './seller-access.js';
import { assertSellerRatesMode } from './seller-rates.js';

export type RateChange = 'new' | 'raise' | 'lower' | 'unchanged';

/** What one row of the file does: the product's own rate at that date, and the new one. */
export type ImportRow = {
  line: number;
  productId: string;
  storeId: string;
  /** The product's own rate in force at `effectiveFrom`; null: none (a store or category rate applies). */
  currentRateBp: number | null;
  newRateBp: number;
  effectiveFrom: string;
  change: RateChange;
};

export type ImportTotals = Record<RateChange, number> & { rows: number };
export type RatesPreview = { rows: ImportRow[]; totals: ImportTotals };
export type RatesImport = RatesPreview & {
  /** Rules written: rows other than `unchanged`. 0 when the same file was applied before. */
  applied: number;
  message: string;
};

const INSERT_CHUNK = 500;

/** What a seller's rates file would change, row by row, without writing anything. */
export async function previewRatesImport(
  ctx: Ctx,
  sellerId: string,
  text: string,
): Promise<RatesPreview> {
  return planRatesImport(ctx, sellerId, text);
}

/**
 * Applies a seller's rates file in one transaction: product rates from their dates on,
 * `createdBy: seller:<id>`. Every row is checked first; one bad row refuses the whole file
 * (invalid_rates_file, every bad line listed) and nothing is written. Rows already in force
 * are skipped, so applying the same file twice writes nothing the second time.
 */
export async function applyRatesImport(
  ctx: Ctx,
  sellerId: string,
  text: string,
): Promise<RatesImport> {
  return inTransaction(ctx, async (tx) => {
    // One import of a seller's rates at a time, locked before the plan reads (SQLite's
    // write lock; the seller's row on PostgreSQL): of two identical files sent at once, the
    // second sees the first's rules in force and writes nothing.
    await takeWriteLock(tx);
    if (tx.dialect === 'postgres')
      await tx.db
        .selectFrom('sellers')
        .select('id')
        .where('id', '=', sellerId)
        .forUpdate()
        .execute();
    const plan = await planRatesImport(tx, sellerId, text);
    const changed = plan.rows.filter((r) => r.change !== 'unchanged');
    const now = toDbTime(tx.clock.now());
    for (let i = 0; i < changed.length; i += INSERT_CHUNK) {
      const values = changed.slice(i, i + INSERT_CHUNK).map((r) => ({
        id: newId('rule', tx.clock),
        owner: 'seller' as const,
        store_id: r.storeId,
        scope: 'product' as const,
        target_id: r.productId,
        rate_bp: r.newRateBp,
        effective_from: r.effectiveFrom,
        created_at: now,
        created_by: `seller:${sellerId}`,
      }));
      await tx.db.insertInto('commission_rules').values(values).execute();
    }
    const skipped = plan.totals.unchanged;
    const message =
      changed.length === 0
        ? `nothing to apply: all ${skipped} rates are already in force (applied before?)`
        : `applied ${changed.length} rates${skipped ? `; ${skipped} already in force, skipped` : ''}`;
    return { ...plan, applied: changed.length, message };
  });
}

/** Reads and checks the whole file in a few queries; throws with every bad row listed. */
async function planRatesImport(ctx: Ctx, sellerId: string, text: string): Promise<RatesPreview> {
  const now = ctx.clock.now();
  await getSeller(ctx.db, sellerId);
  await assertSellerRatesMode(ctx, now);
  const { rows, problems } = readRatesFile(text);
  const products = await sellerProductsByIds(
    ctx.db,
    sellerId,
    rows.map((r) => r.productId),
  );
  const settingsAt = await settingsTimeline(ctx, now);
  const seen = new Map<string, number>();
  const good: (RatesFileRow & { storeId: string; from: Date })[] = [];
  for (const row of rows) {
    const before = problems.length;
    const storeId = products.get(row.productId);
    // Unknown and another seller's product read the same: a seller never learns another's catalog.
    if (!storeId)
      problems.push({
        line: row.line,
        field: 'product_id',
        reason: `product ${row.productId} is not in any of your stores`,
      });
    const from = row.effectiveFrom ?? now;
    if (from.getTime() < now.getTime()) {
      problems.push({
        line: row.line,
        field: 'effective_from',
        reason: `${from.toISOString()} is in the past: a rate change takes effect now or later`,
      });
    } else {
      const settings = await settingsAt(from);
      if (settings.commissionMode !== 'seller_rates')
        problems.push({
          line: row.line,
          field: 'effective_from',
          reason: `from ${from.toISOString()} the program is in fixed_category mode: the operator's category table sets every rate (rates_set_by_program)`,
        });
      else if (row.rateBp < settings.sellerRateMinBp || row.rateBp > settings.sellerRateMaxBp)
        problems.push({
          line: row.line,
          field: 'rate_bp',
          reason: `${formatBasisPoints(row.rateBp)} is outside the program's bounds (${formatBasisPoints(settings.sellerRateMinBp)}–${formatBasisPoints(settings.sellerRateMaxBp)})`,
        });
    }
    const key = `${row.productId} ${from.toISOString()}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({
        line: row.line,
        reason: `product ${row.productId} from ${from.toISOString()} is already on line ${first}`,
      });
    else seen.set(key, row.line);
    if (problems.length === before && storeId) good.push({ ...row, storeId, from });
  }
  if (problems.length > 0) throw invalidFile(problems);

  const rules = await productRulesOf(
    ctx.db,
    [...new Set(good.map((r) => r.storeId))],
    good.map((r) => r.productId),
  );
  const totals: ImportTotals = { rows: good.length, new: 0, raise: 0, lower: 0, unchanged: 0 };
  const out = good.map((row): ImportRow => {
    const effectiveFrom = toDbTime(row.from);
    const current = rateInForce(rules.get(row.productId) ?? [], effectiveFrom);
    const change: RateChange =
      current === null
        ? 'new'
        : current === row.rateBp
          ? 'unchanged'
          : row.rateBp > current
            ? 'raise'
            : 'lower';
    totals[change] += 1;
    return {
      line: row.line,
      productId: row.productId,
      storeId: row.storeId,
      currentRateBp: current,
      newRateBp: row.rateBp,
      effectiveFrom,
      change,
    };
  });
  return { rows: out, totals };
}

/** The rate of the last product rule in force at `at` (rules oldest first); null if none or removed. */
function rateInForce(rules: readonly { from: string; rateBp: number | null }[], at: string) {
  let rate: number | null = null;
  for (const rule of rules) {
    if (rule.from > at) break;
    rate = rule.rateBp;
  }
  return rate;
}

/**
 * The settings at any date from now on, with one query per scheduled settings change used:
 * settings only change at those moments, however many dates the file has.
 */
async function settingsTimeline(ctx: Ctx, now: Date) {
  const points = (
    await ctx.db
      .selectFrom('setting_changes')
      .select('effective_from')
      .distinct()
      .where('effective_from', '>', toDbTime(now))
      .orderBy('effective_from')
      .limit(1000)
      .execute()
  ).map((r) => r.effective_from);
  const cache = new Map<string, Promise<ProgramSettings>>();
  return (at: Date): Promise<ProgramSettings> => {
    const text = toDbTime(at);
    let point = toDbTime(now);
    for (const p of points) if (p <= text) point = p;
    let settings = cache.get(point);
    if (!settings) {
      settings = getSettings(ctx.db, new Date(point));
      cache.set(point, settings);
    }
    return settings;
  };
}

/** The refusal of a whole file: how many rows are bad, and each with its line and reason. */
function invalidFile(problems: RowProblem[]): AppError {
  problems.sort((a, b) => a.line - b.line);
  const n = new Set(problems.map((p) => p.line)).size;
  const first = problems[0];
  return new AppError(
    'invalid_rates_file',
    `${n} bad ${n === 1 ? 'row' : 'rows'}; nothing applied${first ? ` (line ${first.line}: ${first.reason}${problems.length > 1 ? '; …' : ''})` : ''}`,
    problems,
  );
}
