import { buyerOwner } from '../affiliates/buyer-accounts.js';
import type { Ctx } from '../context.js';
import type { Db } from '../db/types.js';
import { SignalReads } from '../fraud/signal-reads.js';
import { type ClickFacts, loadClickFacts } from '../tracking/attribute-click.js';

/** The reads an order.paid needs besides the caches: answered by the database, or by a batch that read ahead. */
export type PaidLookups = {
  /** The first of these sub-order ids that is already taken, if any. */
  takenSubOrder(ids: readonly string[]): Promise<string | undefined>;
  /** The affiliate a buyer account belongs to, if any. */
  buyerOwner(buyerId: string): Promise<string | undefined>;
  /** What attribution needs to know of a click; undefined for an unknown click. */
  click(clickId: string): Promise<ClickFacts | undefined>;
  /** The counts the fraud signals judge by (clicks per visitor, bursts, refunds). */
  signals: SignalReads;
};

/** The lookups of a single order.paid, answered by the database. */
export function databaseLookups(ctx: Pick<Ctx, 'db' | 'sqlite'>): PaidLookups {
  const db: Db = ctx.db;
  return {
    signals: new SignalReads(ctx),
    async takenSubOrder(ids) {
      const taken = await db
        .selectFrom('sub_orders')
        .select('sub_order_id')
        .where('sub_order_id', 'in', [...ids])
        .executeTakeFirst();
      return taken?.sub_order_id;
    },
    buyerOwner: (buyerId) => buyerOwner(db, buyerId),
    click: async (clickId) => (await loadClickFacts(db, [clickId])).get(clickId.toLowerCase()),
  };
}
