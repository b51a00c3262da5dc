import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqlite } from '../db/connection.js';
import { createTestContext, type TestContext } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { ingestEvent } from './ingest-event.js';

/**
 * Another connection (the click writer's thread, a CLI command) tries to commit a write
 * right after the transaction's first read of `orders`. Refused at once (busy_timeout 0)
 * when the transaction already holds SQLite's write lock.
 */
class WriteAfterOrderRead implements KyselyPlugin {
  readonly #other: ReturnType<typeof openSqlite>;
  readonly #reads = new WeakSet<object>();
  armed = false;
  outcome: 'not tried' | 'committed' | 'refused: busy' = 'not tried';

  constructor(other: ReturnType<typeof openSqlite>) {
    this.#other = other;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.armed && args.node.kind === 'SelectQueryNode') {
      if (JSON.stringify(args.node.from).includes('"orders"')) this.#reads.add(args.queryId);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.armed && this.#reads.has(args.queryId)) {
      this.armed = false;
      try {
        this.#other
          .prepare('insert into ip_salts (day, salt, created_at) values (?, ?, ?)')
          .run('2000-01-01', 'other-writer', '2000-01-01T00:00:00.000Z');
        this.outcome = 'committed';
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        this.outcome = 'refused: busy';
      }
    }
    return args.result;
  }
}

let ctx: TestContext & { close(): Promise<void> };
let other: ReturnType<typeof openSqlite>;
beforeAll(async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-lock-')), 'affnet.db');
  ctx = await createTestContext('sqlite', { sqliteFile: file });
  other = openSqlite(file);
  other.pragma('busy_timeout = 0');
});
afterAll(async () => {
  other?.close();
  await ctx?.close();
});

it('takes an event alone on SQLite with the write lock held from its first read, so another writer cannot make that read stale', async () => {
  const seeded = await seedClickedProduct(ctx);
  await accept(
    ctx,
    paidEvent(ctx, {
      orderId: 'wl-1',
      productId: seeded.product.productId,
      clickId: seeded.clickId,
    }),
  );
  const writer = new WriteAfterOrderRead(other);
  writer.armed = true;
  const outcome = await ingestEvent(
    { ...ctx, db: ctx.db.withPlugin(writer) },
    event(ctx, 'order.shipped', {
      order_id: 'wl-1',
      shipping_method: 'DHL',
      shipped_at: ctx.clock.now().toISOString(),
    }),
  );
  // Had the other writer committed between the read and the event's first write, that
  // write would fail with SQLITE_BUSY (a stale snapshot), which no busy timeout cures.
  expect(writer.outcome).toBe('refused: busy');
  expect(outcome).toMatchObject({ status: 'accepted', replayed: false });
});
