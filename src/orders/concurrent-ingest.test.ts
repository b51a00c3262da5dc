import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLedger } from '../ledger/audit-ledger.js';
import { createTestContext, type TestContext } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { currentXid, waitForLockWaiter } from '../test/pg-locks.js';
import { type EventOutcome, ingestEvent, ingestEvents } from './ingest-event.js';

const databaseUrl = process.env.DATABASE_URL;
const ORDERS = 60;

// Each process connects to the test's schema and ingests every event of the file, in order.
const INGEST_SCRIPT = `
import fs from 'node:fs';
import { ManualClock } from './dist/clock.js';
import { connect } from './dist/db/connection.js';
import { ingestEvent, ingestEvents } from './dist/orders/ingest-event.js';
const [url, schema, file, now, mode] = process.argv.slice(1);
const c = connect({ databaseUrl: url, pgSchema: schema, pgPoolSize: 2 });
const ctx = { db: c.db, dialect: 'postgres', sqlite: undefined, clock: new ManualClock(now) };
const counts = {};
const events = fs.readFileSync(file, 'utf8').split('\\n').filter(Boolean).map((line) => JSON.parse(line));
const outcomes = [];
if (mode === 'batch') for (let i = 0; i < events.length; i += 40) outcomes.push(...(await ingestEvents(ctx, events.slice(i, i + 40))));
else for (const event of events) outcomes.push(await ingestEvent(ctx, event));
for (const outcome of outcomes) {
  const key = outcome.status === 'accepted' ? (outcome.replayed ? 'replayed' : 'accepted') : outcome.error.code;
  counts[key] = (counts[key] ?? 0) + 1;
}
await c.close();
process.stdout.write(JSON.stringify(counts));
`;

function ingestInChild(
  schema: string,
  file: string,
  now: string,
  mode: 'single' | 'batch',
): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', INGEST_SCRIPT, databaseUrl as string, schema, file, now, mode],
      {
        cwd: path.resolve('.'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`ingest child exited ${code}: ${err}`)),
    );
  });
}

describe.skipIf(!databaseUrl)(
  `two processes ingesting the same events [postgres${databaseUrl ? '' : ': skipped, DATABASE_URL not set'}]`,
  () => {
    let ctx: TestContext & { close(): Promise<void>; pgSchema?: string };
    beforeAll(async () => {
      ctx = await createTestContext('postgres');
    });
    afterAll(() => ctx?.close());

    it.each(['single', 'batch'] as const)(
      'books each commission exactly once (events taken %s)',
      async (mode) => {
        const seeded = await seedClickedProduct(ctx);
        const lines: string[] = [];
        for (let i = 0; i < ORDERS; i += 1) {
          const orderId = `cc-${mode}-${i}`;
          lines.push(
            JSON.stringify(
              paidEvent(ctx, {
                orderId,
                productId: seeded.product.productId,
                clickId: seeded.clickId,
                subOrders: 3,
              }),
            ),
          );
          lines.push(
            JSON.stringify(
              event(ctx, 'order.receipt_confirmed', {
                order_id: orderId,
                confirmed_at: ctx.clock.now().toISOString(),
              }),
            ),
          );
        }
        const file = path.join(
          fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-cc-')),
          'events.jsonl',
        );
        fs.writeFileSync(file, `${lines.join('\n')}\n`);

        const [a, b] = await Promise.all([
          ingestInChild(ctx.pgSchema as string, file, ctx.clock.now().toISOString(), mode),
          ingestInChild(ctx.pgSchema as string, file, ctx.clock.now().toISOString(), mode),
        ]);
        // Every event is accepted by exactly one of the two; the other replays it (or, for a
        // confirmation that overtook its payment, is told the order is unknown).
        expect((a?.accepted ?? 0) + (b?.accepted ?? 0)).toBe(lines.length);

        const commissions = await ctx.db
          .selectFrom('ledger_transfers')
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .where('code', '=', 'commission')
          .where('ref', 'like', `cc-${mode}-%`)
          .executeTakeFirstOrThrow();
        expect(commissions.n).toBe(BigInt(ORDERS * 3));
        expect(await auditLedger(ctx.db)).toMatchObject({ violations: [] });
      },
    );

    it('takes an event alone after a batch that holds its order, instead of deadlocking on it', async () => {
      const seeded = await seedClickedProduct(ctx);
      const orderId = 'cc-locks-1';
      await accept(
        ctx,
        paidEvent(ctx, { orderId, productId: seeded.product.productId, clickId: seeded.clickId }),
      );
      const shipped = event(ctx, 'order.shipped', {
        order_id: orderId,
        shipping_method: 'DHL',
        shipped_at: ctx.clock.now().toISOString(),
      });
      let alone: Promise<EventOutcome> | undefined;
      const [batched] = await ctx.db.transaction().execute(async (trx) => {
        const tx = { ...ctx, db: trx };
        // Another server's batch has locked the order (its wave's first statement)…
        await trx
          .selectFrom('orders')
          .select('order_id')
          .where('order_id', '=', orderId)
          .forUpdate()
          .execute();
        const xid = await currentXid(tx);
        // …when the same event arrives alone here, and waits for that batch.
        alone = ingestEvent(ctx, shipped);
        await waitForLockWaiter(ctx, xid);
        // The batch goes on to write the event: nothing of this server's is in its way.
        return ingestEvents(tx, [shipped]);
      });
      expect(batched).toMatchObject({ status: 'accepted', replayed: false });
      expect(await alone).toMatchObject({ status: 'accepted', replayed: true });
    });
  },
);
