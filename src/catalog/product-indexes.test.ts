import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { type AppContext, openContext } from '../context.js';
import { createLogger } from '../log.js';
import { allowTestDomain, seedCategoryBranch, seedStore, TEST_DOMAIN } from '../test/factories.js';
import { importCatalog } from './import-catalog.js';
import { shouldDropProductIndexes } from './product-indexes.js';

// A large import on a SQLite file drops the products' secondary indexes and builds them
// again at the end; a crash in between is repaired at the next start.
const open: AppContext[] = [];
afterEach(async () => {
  for (const ctx of open.splice(0)) await ctx.close();
});

async function fileContext(dataDir: string): Promise<AppContext> {
  const config = loadConfig({ AFFNET_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const ctx = await openContext(config, createLogger('silent'));
  open.push(ctx);
  return ctx;
}

function productIndexes(ctx: AppContext): string[] {
  const rows = (ctx.sqlite as NonNullable<AppContext['sqlite']>)
    .prepare(
      "select name from sqlite_master where type = 'index' and tbl_name = 'products' and name not like 'sqlite_%' order by name",
    )
    .all() as { name: string }[];
  return rows.map((r) => r.name);
}

describe('product indexes around a bulk import (a SQLite file)', () => {
  it('drops them only for an import that is large and at least half the table', () => {
    expect(shouldDropProductIndexes(1_000_000, 0)).toBe(true);
    expect(shouldDropProductIndexes(60_000, 120_000)).toBe(true);
    expect(shouldDropProductIndexes(60_000, 120_001)).toBe(false);
    expect(shouldDropProductIndexes(49_999, 0)).toBe(false);
  });

  it('writes a bulk import through the worker and ends with both indexes in place', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bulk-'));
    const ctx = await fileContext(dataDir);
    await allowTestDomain(ctx);
    const storeId = await seedStore(ctx);
    const { leaf } = await seedCategoryBranch(ctx);
    const lines = ['product_id,title,price_minor,currency,url,store_id,category_id'];
    for (let i = 0; i < 300; i += 1)
      lines.push(
        `bulk-${i},Lamp ${i},${100 + i},USD,https://${TEST_DOMAIN}/item/${i}.html,${storeId},${leaf}`,
      );
    lines.push(`bulk-bad,Lamp,-1,USD,https://${TEST_DOMAIN}/item/x.html,${storeId},${leaf}`);
    const file = path.join(dataDir, 'catalog.csv');
    fs.writeFileSync(file, lines.join('\n'));

    // Told to expect a million rows into an empty table: the worker writes without the indexes.
    const during: string[][] = [];
    const report = await importCatalog(ctx, file, {
      useWorker: true,
      expectedRows: 1_000_000,
      onProgress: () => during.push(productIndexes(ctx)),
    });
    expect(during[0]).toEqual([]);
    expect(report).toMatchObject({ read: 301, created: 300, updated: 0, rejected: 1 });
    expect(productIndexes(ctx)).toEqual(['products_category', 'products_store']);
    const again = await importCatalog(ctx, file, { useWorker: true, expectedRows: 1_000_000 });
    expect(again).toMatchObject({ created: 0, updated: 300, rejected: 1 });
    const byStore = await ctx.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .where('store_id', '=', storeId)
      .executeTakeFirstOrThrow();
    expect(byStore.n).toBe(300n);
  });

  it('builds indexes a killed import left dropped when the database is next opened', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bulk-'));
    const first = await fileContext(dataDir);
    first.sqlite?.exec('drop index products_store; drop index products_category');
    expect(productIndexes(first)).toEqual([]);
    await first.close();
    open.splice(open.indexOf(first), 1);

    const second = await fileContext(dataDir);
    expect(productIndexes(second)).toEqual(['products_category', 'products_store']);
  });
});
