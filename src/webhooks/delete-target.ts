import { type Ctx, inTransaction } from '../context.js';
import { assertOwnTarget, disableTarget } from './queries.js';

/**
 * Deletes one of the affiliate's webhooks or postbacks: kept (its deliveries stay visible)
 * but disabled with the reason "deleted"; its pending deliveries are failed. Deleting twice
 * is fine; another affiliate's is not found.
 */
export async function deleteTarget(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  kind: 'webhook' | 'postback',
  affiliateId: string,
  id: string,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await assertOwnTarget(tx.db, kind, id, affiliateId);
    await disableTarget(tx, kind, id, 'deleted');
  });
}
