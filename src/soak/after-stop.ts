import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI } from '../bench/bench-util.js';
import { connect } from '../db/connection.js';

export type AfterStop = {
  clicksStored: number;
  orders: number;
  subOrders: number;
  audit: { ok: boolean; transfers: number; accounts: number; violations: unknown[] };
  rollups: { ok: boolean; rows: number; differenceCount: number };
};

const run = promisify(execFile);

/**
 * What the database holds once the server has stopped: the clicks and orders written, and
 * the two checks an operator runs, `affnet ledger audit` (every ledger invariant) and
 * `affnet reports verify` (the dashboard's rollups recomputed from the sub-orders).
 */
export async function checkAfterStop(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  databaseUrl: string | undefined,
): Promise<AfterStop> {
  const connection = connect({ databaseUrl, sqliteFile: path.join(dataDir, 'affnet.db') });
  const count = async (table: 'clicks' | 'orders' | 'sub_orders') =>
    Number(
      (
        await connection.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  let counts: [number, number, number];
  try {
    counts = [await count('clicks'), await count('orders'), await count('sub_orders')];
  } finally {
    await connection.close();
  }
  return {
    clicksStored: counts[0],
    orders: counts[1],
    subOrders: counts[2],
    audit: await cliJson(['ledger', 'audit', '--json'], env),
    rollups: await cliJson(['reports', 'verify', '--json'], env),
  };
}

/** The command's JSON output, also when it exits 1 (a failed check prints what failed). */
async function cliJson<T>(args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  try {
    return JSON.parse(
      (await run(process.execPath, [CLI, ...args], { env, maxBuffer: 64 << 20 })).stdout,
    ) as T;
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout;
    if (stdout?.trim().startsWith('{')) return JSON.parse(stdout) as T;
    throw error;
  }
}
