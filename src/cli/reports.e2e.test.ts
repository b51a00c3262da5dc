import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connection.js';
import { CliSandbox } from '../test/cli.js';

const database = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

describe(`affnet reports verify, end to end [${database}]`, () => {
  const sandbox = new CliSandbox();
  beforeAll(async () => {
    await sandbox.start();
    expect((await sandbox.run(['seed', '--demo', '--no-history'])).code).toBe(0);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('passes rollups that equal the sub-orders and names a row that does not, exiting 1', async () => {
    const ok = await sandbox.run(['reports', 'verify', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, differenceCount: 0 });

    // A rollup row with no sub-orders behind it, for the demo affiliate.
    const connection = connect({
      databaseUrl: sandbox.databaseUrl,
      sqliteFile: path.join(sandbox.dataDir, 'affnet.db'),
    });
    try {
      const affiliate = await connection.db
        .selectFrom('affiliates')
        .select('id')
        .executeTakeFirstOrThrow();
      await sql`insert into order_daily (affiliate_id, day, tracking_id, currency, leads,
          approved_leads, invalid_leads, estimated_minor, settled_minor, clawed_back_minor)
        values (${affiliate.id}, '2026-01-15', 'trk_x', 'USD', 1, 0, 0, 250, 0, 0)`.execute(
        connection.db,
      );
    } finally {
      await connection.close();
    }
    const bad = await sandbox.run(['reports', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^difference in order_daily \{"affiliate_id":"aff_\w+","day":"2026-01-15","tracking_id":"trk_x","currency":"USD"\}: expected leads=0 .* stored leads=1 /m,
    );
    expect(bad.stdout).toMatch(/: 1 differ$/m);
  });
});
