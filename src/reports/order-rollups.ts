import type { Ctx } from '../context.js';
import { type BulkSpec, bulkUpsertAll } from '../db/bulk-upsert.js';
import type { SubOrderStatus } from '../db/types.js';

/** What a sub-order's rollup rows are keyed by: fixed from the moment its order is paid. */
export type RollupKey = {
  affiliateId: string;
  /** The order's payment time (stored text); its first ten characters are the day. */
  paidAt: string;
  /** The tracking id's row id. */
  trackingId: string | null;
  sub1: string | null;
  productId: string;
  /** The settlement currency of the sub-order's commission. */
  currency: string;
};

/** The columns of a sub-order that decide what it counts for. */
export type RollupState = {
  status: SubOrderStatus;
  /** commission_settlement_minor */
  commissionMinor: bigint;
  /** settled_minor */
  settledMinor: bigint | null;
};

/** leads, approved, invalid, estimated, settled: what sub-orders in a state count for. */
type Counts = [bigint, bigint, bigint, bigint, bigint];

/**
 * The definition of the order rollups: a sub-order paid and attributed to the affiliate
 * is a lead; approved in Completed Settlement, with what settlement posted; invalid when
 * Invalid; its commission is estimated unless it is Invalid. A refund after settlement
 * leaves the status as it is and counts apart (`clawBack`). `subOrders` sub-orders in one
 * state count that many times (their amounts summed).
 */
function countsOf(state: RollupState, subOrders = 1n): Counts {
  const settled = state.status === 'completed_settlement';
  const invalid = state.status === 'invalid';
  return [
    subOrders,
    settled ? subOrders : 0n,
    invalid ? subOrders : 0n,
    invalid ? 0n : state.commissionMinor,
    settled ? (state.settledMinor ?? 0n) : 0n,
  ];
}

const text = (name: string) => ({ name, type: 'text' as const });
const int = (name: string) => ({ name, type: 'bigint' as const });
const COUNTERS = [
  'leads',
  'approved_leads',
  'invalid_leads',
  'estimated_minor',
  'settled_minor',
  'clawed_back_minor',
];
const PRODUCT_COUNTERS = ['leads', 'estimated_minor'];
function spec(table: RollupTable, key: string[], counters: string[]): BulkSpec {
  return {
    table,
    columns: [...key.map(text), ...counters.map(int)],
    conflict: key,
    update: 'nothing',
    increment: counters,
  };
}
const dailySpec = spec('order_daily', ['affiliate_id', 'day', 'tracking_id', 'currency'], COUNTERS);
const subSpec = spec(
  'order_daily_sub',
  ['affiliate_id', 'day', 'tracking_id', 'currency', 'sub1'],
  COUNTERS,
);
const productSpec = spec(
  'order_daily_product',
  ['affiliate_id', 'day', 'currency', 'product_id'],
  PRODUCT_COUNTERS,
);

/** A row of a rollup as it is written: its key's values, then its counters. */
export type Row = (string | bigint)[];
export type RollupTable = 'order_daily' | 'order_daily_sub' | 'order_daily_product';

/**
 * Changes to the order rollups, summed in memory per rollup row, then written with one
 * upsert per row that adds them (`writeTo`). Every writer of a sub-order's state — payment,
 * events, settlement — records here what it changed, in the transaction that changes it.
 * Cheap per sub-order: settlement feeds it 50,000 at a time.
 */
export class OrderRollupDeltas {
  readonly #daily = new Map<string, Row>();
  readonly #sub = new Map<string, Row>();
  /** Product rows per affiliate, day and currency, then per product. */
  readonly #product = new Map<string, Map<string, Row>>();
  // The rows of the last order-level key: an order's sub-orders come one after the other.
  #last: { key: RollupKey; daily: Row; sub: Row; products: Map<string, Row> } | undefined;

  /** A new sub-order in its first state (or `subOrders` of them, their amounts summed). */
  add(key: RollupKey, state: RollupState, subOrders = 1n): void {
    const settled = state.status === 'completed_settlement';
    const invalid = state.status === 'invalid';
    this.#apply(
      key,
      subOrders,
      settled ? subOrders : 0n,
      invalid ? subOrders : 0n,
      invalid ? 0n : state.commissionMinor,
      settled ? (state.settledMinor ?? 0n) : 0n,
      0n,
    );
  }

  /** A sub-order moved from one state to another. */
  change(key: RollupKey, before: RollupState, after: RollupState): void {
    const a = countsOf(after);
    const b = countsOf(before);
    this.#apply(key, a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3], a[4] - b[4], 0n);
  }

  /** Commission taken back from a settled sub-order by a refund after settlement. */
  clawBack(key: RollupKey, amountMinor: bigint): void {
    this.#apply(key, 0n, 0n, 0n, 0n, 0n, amountMinor);
  }

  /** The rows summed so far, per table: for a check against the stored rollups. */
  tables(): { table: RollupTable; keyColumns: string[]; counterColumns: string[]; rows: Row[] }[] {
    return this.#entries().map(([entries, rowSpec]) => ({
      table: rowSpec.table as RollupTable,
      keyColumns: rowSpec.conflict as string[],
      counterColumns: rowSpec.increment as string[],
      rows: entries.map(([, row]) => row),
    }));
  }

  /** Each table's rows with an id that orders them as their keys do. */
  #entries(): [[string, Row][], BulkSpec][] {
    const products: [string, Row][] = [];
    for (const [group, rows] of this.#product)
      for (const [productId, row] of rows) products.push([`${group}\t${productId}`, row]);
    return [
      [[...this.#daily], dailySpec],
      [[...this.#sub], subSpec],
      [products, productSpec],
    ];
  }

  #apply(
    key: RollupKey,
    leads: bigint,
    approved: bigint,
    invalid: bigint,
    estimated: bigint,
    settled: bigint,
    clawedBack: bigint,
  ): void {
    if (!leads && !approved && !invalid && !estimated && !settled && !clawedBack) return;
    const { daily, sub, products } = this.#orderRows(key);
    bump(daily, 4, leads, approved, invalid, estimated, settled, clawedBack);
    bump(sub, 5, leads, approved, invalid, estimated, settled, clawedBack);
    // Products count leads and estimated commission only: settlement leaves them as they are.
    if (!leads && !estimated) return;
    let product = products.get(key.productId);
    if (!product) {
      product = [key.affiliateId, daily[1] as string, key.currency, key.productId, 0n, 0n];
      products.set(key.productId, product);
    }
    bump(product, 4, leads, estimated, 0n, 0n, 0n, 0n);
  }

  /**
   * The order_daily and order_daily_sub rows of a key's affiliate, day, tracking id, sub1
   * and currency, and the product rows of its affiliate, day and currency.
   */
  #orderRows(key: RollupKey): { daily: Row; sub: Row; products: Map<string, Row> } {
    const last = this.#last;
    if (
      last &&
      last.key.affiliateId === key.affiliateId &&
      last.key.trackingId === key.trackingId &&
      last.key.sub1 === key.sub1 &&
      last.key.currency === key.currency &&
      (last.key.paidAt === key.paidAt || last.key.paidAt.slice(0, 10) === key.paidAt.slice(0, 10))
    )
      return last;
    const day = key.paidAt.slice(0, 10);
    const tracking = key.trackingId ?? '';
    const sub1 = key.sub1 ?? '';
    // Tabs cannot occur in ids, days or currency codes; sub1 (free text) comes last.
    const base = `${key.affiliateId}\t${day}\t${tracking}\t${key.currency}`;
    let daily = this.#daily.get(base);
    if (!daily) {
      daily = [key.affiliateId, day, tracking, key.currency, 0n, 0n, 0n, 0n, 0n, 0n];
      this.#daily.set(base, daily);
    }
    const subId = `${base}\t${sub1}`;
    let sub = this.#sub.get(subId);
    if (!sub) {
      sub = [key.affiliateId, day, tracking, key.currency, sub1, 0n, 0n, 0n, 0n, 0n, 0n];
      this.#sub.set(subId, sub);
    }
    const group = `${key.affiliateId}\t${day}\t${key.currency}`;
    let products = this.#product.get(group);
    if (!products) {
      products = new Map();
      this.#product.set(group, products);
    }
    this.#last = { key, daily, sub, products };
    return this.#last;
  }

  /**
   * Writes the changes: one upsert per rollup row that adds to its counters. On PostgreSQL
   * rows go in key order, so two transactions lock the rows they share in the same order
   * (SQLite has one writer at a time).
   */
  async writeTo(ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>): Promise<void> {
    const tables = this.#entries();
    this.#daily.clear();
    this.#sub.clear();
    this.#product.clear();
    this.#last = undefined;
    for (const [entries, rowSpec] of tables) {
      if (entries.length === 0) continue;
      const keyLength = (rowSpec.conflict as string[]).length;
      if (ctx.dialect === 'postgres') entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const changed: Row[] = [];
      // Changes that cancel out within the batch write nothing.
      for (const [, row] of entries)
        for (let i = keyLength; i < row.length; i += 1)
          if (row[i] !== 0n) {
            changed.push(row);
            break;
          }
      await bulkUpsertAll(ctx, rowSpec, changed);
    }
  }
}

/** Adds to the counters of a row from `at` on (bigint sums allocate: zeros are skipped). */
function bump(
  row: Row,
  at: number,
  a: bigint,
  b: bigint,
  c: bigint,
  d: bigint,
  e: bigint,
  f: bigint,
): void {
  if (a) row[at] = (row[at] as bigint) + a;
  if (b) row[at + 1] = (row[at + 1] as bigint) + b;
  if (c) row[at + 2] = (row[at + 2] as bigint) + c;
  if (d) row[at + 3] = (row[at + 3] as bigint) + d;
  if (e) row[at + 4] = (row[at + 4] as bigint) + e;
  if (f) row[at + 5] = (row[at + 5] as bigint) + f;
}
