import { describe, expect, it } from 'vitest';
import { type EnrollmentRow, type RateFacts, type RuleRow, resolveRate } from './resolve-rate.js';

let n = 0;
const rule = (
  scope: RuleRow['scope'],
  target: string | null,
  rate: number | null,
  from = '2026-01-01T00:00:00.000Z',
): RuleRow => ({
  id: `r${++n}`,
  scope,
  target_id: target,
  rate_bp: rate === null ? null : BigInt(rate),
  effective_from: from,
});
const enroll = (
  scope: EnrollmentRow['scope'],
  target: string | null,
  enrolled: boolean,
): EnrollmentRow => ({
  id: `e${++n}`,
  scope,
  target_id: target,
  enrolled: enrolled ? 1n : 0n,
  effective_from: '2026-01-01T00:00:00.000Z',
});

const base: RateFacts = {
  mode: 'seller_rates',
  productId: 'p1',
  categoryChain: ['cases', 'phones', 'electronics'],
  rules: [],
  enrollments: [enroll('store', null, true)],
  hot: false,
};

describe('resolveRate', () => {
  it('pays the store default when nothing more specific exists', () => {
    const d = resolveRate({ ...base, rules: [rule('store', null, 500)] });
    expect(d.rateBp).toBe(500);
    expect(d.rule.kind).toBe('store_default');
    expect(d.explanation).toContain('5.00%');
  });

  it('prefers product over category over store default', () => {
    const rules = [
      rule('store', null, 500),
      rule('category', 'electronics', 600),
      rule('category', 'phones', 700),
    ];
    expect(resolveRate({ ...base, rules }).rateBp).toBe(700); // nearest category wins
    const withProduct = [...rules, rule('product', 'p1', 900)];
    const d = resolveRate({ ...base, rules: withProduct });
    expect([d.rateBp, d.rule.kind]).toEqual([900, 'product']);
  });

  it('uses the newest change of a rule, and a removed rule falls back', () => {
    const rules = [
      rule('store', null, 500),
      rule('product', 'p1', 900),
      rule('product', 'p1', 1000),
    ];
    expect(resolveRate({ ...base, rules }).rateBp).toBe(1000);
    const removed = [...rules, rule('product', 'p1', null)];
    expect(resolveRate({ ...base, rules: removed }).rule.kind).toBe('store_default');
  });

  it('pays nothing for a product that is not enrolled, however it is enrolled away', () => {
    const rules = [rule('store', null, 500)];
    expect(resolveRate({ ...base, rules, enrollments: [] }).rule.kind).toBe('not_enrolled');
    const categoryOut = [enroll('store', null, true), enroll('category', 'phones', false)];
    expect(resolveRate({ ...base, rules, enrollments: categoryOut }).rateBp).toBe(0);
    const productBackIn = [...categoryOut, enroll('product', 'p1', true)];
    expect(resolveRate({ ...base, rules, enrollments: productBackIn }).rateBp).toBe(500);
  });

  it('reports no_rate when enrolled but no rule covers the product', () => {
    const d = resolveRate({ ...base, rules: [rule('category', 'toys', 800)] });
    expect([d.rateBp, d.rule.kind]).toEqual([0, 'no_rate']);
  });

  it('in fixed_category mode uses only the operator table, nearest category first', () => {
    const rules = [
      rule('product', 'p1', 5000),
      rule('program_category', 'electronics', 700),
      rule('program_category', 'cases', 900),
    ];
    const d = resolveRate({ ...base, mode: 'fixed_category', rules });
    expect([d.rateBp, d.rule.kind]).toEqual([900, 'program_category']);
  });

  it('pays the hot rate only through a hot link, and never less than the normal rate', () => {
    const rules = [rule('store', null, 500), rule('hot_product', 'p1', 1500)];
    expect(resolveRate({ ...base, rules }).rateBp).toBe(500);
    const hot = resolveRate({ ...base, rules, hot: true });
    expect([hot.rateBp, hot.rule.kind]).toEqual([1500, 'hot_product']);
    const overtaken = [...rules, rule('store', null, 2000)];
    expect(resolveRate({ ...base, rules: overtaken, hot: true }).rule.kind).toBe('store_default');
  });
});
