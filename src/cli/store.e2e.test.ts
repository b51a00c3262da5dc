import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { connect } from '../db/connection.js';
import { createLogger } from '../log.js';
import { SecretBox } from '../security/secret-box.js';
import { CliSandbox } from '../test/cli.js';
import { seedStorefront, seedStoreWorld } from '../test/storefronts.js';

const database = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

describe(`affnet store export, end to end [${database}]`, () => {
  const sandbox = new CliSandbox();
  let slug: string;

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
      const world = await seedStoreWorld(ctx);
      slug = (await seedStorefront(ctx, world.affiliate.id, { categoryIds: [world.b.top] })).slug;
    } finally {
      await connection.close();
    }
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('writes the copy, and refuses an unknown slug or a foreign folder with exit status 1', async () => {
    const out = path.join(sandbox.dataDir, 'copy');
    const env = { AFFNET_PUBLIC_URL: 'https://go.affnet.example' };
    const done = await sandbox.run(['store', 'export', '--slug', slug, '--out', out], env);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^wrote 14 files to .*copy: 2 products, 3 categories\n/);
    expect(done.stdout).toContain('pass --site-url');
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toMatch(/<a class="buy" href="https:\/\/go\.affnet\.example\/c\/[A-Za-z0-9]+"/);

    const unknown = await sandbox.run(['store', 'export', '--slug', 'nope-store', '--out', out]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error \[storefront_not_found\]: no store with the slug/);

    const foreign = await sandbox.run([
      'store',
      'export',
      '--slug',
      slug,
      '--out',
      sandbox.dataDir,
    ]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/is not empty and is not an earlier copy/);

    const usage = await sandbox.run(['store', 'export', '--slug', slug]);
    expect(usage.code).toBe(2);
  });
});
