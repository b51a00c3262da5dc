import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { cachedStatement } from '../db/bulk-upsert.js';
import type { SubOrderState } from './plan-order.js';

const CHUNK = 1000;
const SQLITE_UPDATE =
  'update sub_orders set status = ?, invalid_reason = ?, confirmed_at = ?, due_at = ?, settled_at = ?, settled_minor = ? where sub_order_id = ?';

/** Writes the derived columns of many sub-orders: a cached statement per row on SQLite, one statement per chunk on PostgreSQL. */
export async function updateSubOrders(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  states: readonly SubOrderState[],
): Promise<void> {
  if (states.length === 0) return;
  if (ctx.sqlite) {
    const statement = cachedStatement(ctx.sqlite, SQLITE_UPDATE);
    for (const s of states)
      statement.run([
        s.status,
        s.invalid_reason,
        s.confirmed_at,
        s.due_at,
        s.settled_at,
        s.settled_minor,
        s.sub_order_id,
      ]);
    return;
  }
  for (let start = 0; start < states.length; start += CHUNK) {
    const chunk = states.slice(start, start + CHUNK);
    const column = <T>(pick: (s: SubOrderState) => T) => chunk.map(pick);
    await sql`update sub_orders s set
        status = v.status, invalid_reason = v.invalid_reason, confirmed_at = v.confirmed_at,
        due_at = v.due_at, settled_at = v.settled_at, settled_minor = v.settled_minor
      from unnest(${column((s) => s.sub_order_id)}::text[], ${column((s) => s.status)}::text[],
        ${column((s) => s.invalid_reason)}::text[], ${column((s) => s.confirmed_at)}::text[],
        ${column((s) => s.due_at)}::text[], ${column((s) => s.settled_at)}::text[],
        ${column((s) => s.settled_minor)}::bigint[])
        as v(id, status, invalid_reason, confirmed_at, due_at, settled_at, settled_minor)
      where s.sub_order_id = v.id`.execute(ctx.db);
  }
}
