import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { connect } from '../db/connection.js';
import { createLogger } from '../log.js';
import { SecretBox } from '../security/secret-box.js';
import { setSellerEnrollment } from '../sellers/seller-enrollment.js';
import { CliSandbox } from '../test/cli.js';
import { seedSellerWithStore } from '../test/seller-stores.js';

const database = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

describe(`affnet seller, end to end [${database}]`, () => {
  const sandbox = new CliSandbox();
  let a: Awaited<ReturnType<typeof seedSellerWithStore>>;
  let b: Awaited<ReturnType<typeof seedSellerWithStore>>;

  beforeAll(async () => {
    await sandbox.start();
    expect((await sandbox.run(['migrate'])).code).toBe(0);
    const connection = connect({
      databaseUrl: sandbox.databaseUrl,
      sqliteFile: path.join(sandbox.dataDir, 'affnet.db'),
    });
    try {
      const ctx = {
        db: connection.db,
        dialect: connection.dialect,
        sqlite: connection.sqlite,
        sqliteFile: connection.file,
        clock: systemClock,
        secrets: new SecretBox(randomBytes(32)),
        log: createLogger('silent'),
      };
      a = await seedSellerWithStore(ctx, { products: 2 });
      b = await seedSellerWithStore(ctx, { products: 1 });
      await setSellerEnrollment(ctx, a.sellerId, {
        storeId: a.storeId,
        scope: 'store',
        enrolled: true,
      });
    } finally {
      await connection.close();
    }
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('invites a seller and issues its key, each printed once', async () => {
    const env = { AFFNET_PUBLIC_URL: 'https://go.affnet.example' };
    const invite = await sandbox.run(['seller', 'invite', '--seller', a.sellerId], env);
    expect(invite.code).toBe(0);
    expect(invite.stdout).toMatch(/^https:\/\/go\.affnet\.example\/seller\/invite\/inv_\S+$/m);
    const key = await sandbox.run(['seller', 'api-key', '--seller', a.sellerId]);
    expect([key.code, key.stdout]).toEqual([0, expect.stringMatching(/^slk_[A-Za-z0-9_-]+\n$/)]);
    const unknown = await sandbox.run(['seller', 'api-key', '--seller', 'sel_nobody']);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/seller_not_found/)]);
    expect((await sandbox.run(['seller', 'invite'])).code).toBe(2);
  });

  it('previews a rates file, applies it once, and refuses a bad one with its lines, applying nothing', async () => {
    const [p1, p2] = a.productIds as [string, string];
    const file = path.join(sandbox.dataDir, 'rates.csv');
    fs.writeFileSync(file, `product_id,rate_bp,effective_from\n${p1},700,\n${p2},900,2099-01-01\n`);
    const args = ['seller', 'rates', 'import', '--seller', a.sellerId, file];
    const dry = await sandbox.run([...args, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^2 +${p1} +${a.storeId} +- +7\\.00% .* new *$`, 'm'));
    expect(dry.stdout).toContain('dry run: nothing applied');
    const applied = await sandbox.run(args);
    expect(applied.stdout).toContain('applied 2 rates');
    const again = await sandbox.run([...args, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: 0, totals: { unchanged: 2 } });

    const bad = path.join(sandbox.dataDir, 'bad.csv');
    fs.writeFileSync(
      bad,
      `product_id,rate_bp,effective_from\n${p1},800,\n${b.productIds[0]},700,\n${p2},99999,\n`,
    );
    const refused = await sandbox.run(['seller', 'rates', 'import', '--seller', a.sellerId, bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^line 3 \(product_id\): product \S+ is not in any of your stores$/m,
    );
    expect(refused.stderr).toMatch(/^line 4 \(rate_bp\): "99999" is not a rate/m);
    expect(refused.stderr).toMatch(/error \[invalid_rates_file\]: 2 bad rows; nothing applied/);
    const after = await sandbox.run([...args, '--dry-run', '--json']);
    expect(JSON.parse(after.stdout).rows[0]).toMatchObject({ productId: p1, currentRateBp: 700 });
    expect((await sandbox.run(['seller', 'rates', 'import', '--seller', a.sellerId])).code).toBe(2);
  });
});
