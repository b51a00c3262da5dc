import { formatBasisPoints } from '../money.js';
import type { EnrollmentScope, RuleScope } from './schema.js';

export type RuleRow = {
  id: string;
  scope: RuleScope;
  target_id: string | null;
  rate_bp: bigint | null;
  effective_from: string;
};

export type EnrollmentRow = {
  id: string;
  scope: EnrollmentScope;
  target_id: string | null;
  enrolled: bigint;
  effective_from: string;
};

export type CommissionMode = 'seller_rates' | 'fixed_category';

export type RateRule =
  | {
      kind: 'product' | 'category' | 'store_default' | 'program_category' | 'hot_product';
      ruleId: string;
      targetId: string | null;
      effectiveFrom: string;
    }
  | { kind: 'not_enrolled' | 'no_rate' };

export type RateDecision = {
  rateBp: number;
  mode: CommissionMode;
  rule: RateRule;
  explanation: string;
};

export type RateFacts = {
  mode: CommissionMode;
  productId: string;
  /** The product's category first, then its parent, up to the root. */
  categoryChain: readonly string[];
  /** Every rule and enrollment change in force at the time asked about, oldest first. */
  rules: readonly RuleRow[];
  enrollments: readonly EnrollmentRow[];
  /** The click came through a hot link: a hot-product rate applies if there is one. */
  hot: boolean;
};

/**
 * The most specific rule wins: product > category (nearest first) > store default, or the
 * operator's category table in fixed_category mode. A product pays only while enrolled.
 */
export function resolveRate(facts: RateFacts): RateDecision {
  const { mode } = facts;
  const enrollment = mostSpecific(latestBy(facts.enrollments), facts);
  if (!enrollment || enrollment.enrolled === 0n) {
    const why = enrollment
      ? `withdrawn from the program by its ${enrollment.scope} enrollment`
      : 'not enrolled';
    return {
      rateBp: 0,
      mode,
      rule: { kind: 'not_enrolled' },
      explanation: `product ${facts.productId} is ${why}: no commission`,
    };
  }

  const rules = latestBy(facts.rules.filter((r) => r.scope !== 'hot_product'));
  const normal =
    mode === 'fixed_category'
      ? nearestCategory(rules, 'program_category', facts.categoryChain)
      : (rules.get(key('product', facts.productId)) ??
        nearestCategory(rules, 'category', facts.categoryChain) ??
        rules.get(key('store', null)));
  const normalRateBp = normal ? Number(normal.rate_bp) : 0;

  const hot = facts.hot
    ? latestBy(facts.rules.filter((r) => r.scope === 'hot_product')).get(
        key('hot_product', facts.productId),
      )
    : undefined;
  const chosen = hot && Number(hot.rate_bp) > normalRateBp ? hot : normal;
  if (!chosen) {
    const table = mode === 'fixed_category' ? "the operator's category table" : "the store's plan";
    return {
      rateBp: 0,
      mode,
      rule: { kind: 'no_rate' },
      explanation: `no rate in ${table} covers product ${facts.productId}`,
    };
  }
  const rule: RateRule = {
    kind:
      chosen.scope === 'store' ? 'store_default' : (chosen.scope as Exclude<RuleScope, 'store'>),
    ruleId: chosen.id,
    targetId: chosen.target_id,
    effectiveFrom: chosen.effective_from,
  };
  return {
    rateBp: Number(chosen.rate_bp),
    mode,
    rule,
    explanation: explain(rule, Number(chosen.rate_bp)),
  };
}

function key(scope: string, targetId: string | null): string {
  return `${scope}\u0000${targetId ?? ''}`;
}

/** The newest row per (scope, target); a rule whose newest row has no rate is gone. */
function latestBy<T extends { scope: string; target_id: string | null; effective_from: string }>(
  rows: readonly T[],
): Map<string, T> {
  const latest = new Map<string, T>();
  for (const row of rows) latest.set(key(row.scope, row.target_id), row);
  for (const [k, row] of latest) if ('rate_bp' in row && row.rate_bp === null) latest.delete(k);
  return latest;
}

function nearestCategory<T>(
  rows: Map<string, T>,
  scope: string,
  chain: readonly string[],
): T | undefined {
  for (const categoryId of chain) {
    const row = rows.get(key(scope, categoryId));
    if (row) return row;
  }
  return undefined;
}

function mostSpecific(
  rows: Map<string, EnrollmentRow>,
  facts: RateFacts,
): EnrollmentRow | undefined {
  return (
    rows.get(key('product', facts.productId)) ??
    nearestCategory(rows, 'category', facts.categoryChain) ??
    rows.get(key('store', null))
  );
}

function explain(rule: Extract<RateRule, { ruleId: string }>, rateBp: number): string {
  const since = `in force since ${rule.effectiveFrom}`;
  const rate = formatBasisPoints(rateBp);
  switch (rule.kind) {
    case 'product':
      return `${rate}: the store's rate for this product, ${since}`;
    case 'category':
      return `${rate}: the store's rate for category ${rule.targetId}, ${since}`;
    case 'store_default':
      return `${rate}: the store's default rate, ${since}`;
    case 'program_category':
      return `${rate}: the program's fixed rate for category ${rule.targetId}, ${since}`;
    case 'hot_product':
      return `${rate}: the hot-product rate (promoted through a hot link), ${since}`;
  }
}
