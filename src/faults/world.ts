import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliEnv, timeCli } from '../bench/bench-util.js';
import { loadConfig } from '../config.js';
import { openContext } from '../context.js';
import { createLogger } from '../log.js';
import { createPayees, type Payee } from './create-payees.js';

/** One installation the four faults run against, one after the other. */
export type World = {
  database: 'sqlite' | 'postgres';
  databaseUrl: string | undefined;
  dataDir: string;
  /** The environment of every affnet process of this installation. */
  env: NodeJS.ProcessEnv;
  merchantSecret: string;
  payees: Payee[];
  /** Products that pay commission: every sub-order books, settles and is paid out. */
  productIds: string[];
};

const MERCHANT_SECRET = 'msk_faults_secret_0123456789abcdef';

/**
 * A fresh installation: the demo catalog without history, a settlement delay of a day (so
 * that receipts confirmed during the ingest fault only fall due when the settlement fault
 * moves the clock), and `payees` affiliates with a link and a bank account each.
 */
export async function prepareWorld(
  database: World['database'],
  databaseUrl: string | undefined,
  payees: number,
): Promise<World> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-faults-'));
  const env = cliEnv(dataDir, databaseUrl, {
    PORT: '0',
    AFFNET_MERCHANT_SECRET: MERCHANT_SECRET,
  });
  await timeCli(['seed', '--demo', '--no-history'], env);
  await timeCli(['settings', 'set', 'settlementDelayDays=1'], env);
  const products = (await timeCli(['catalog', 'list', '--limit', '1000', '--json'], env)).stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { product_id: string; url: string; rate_bp: number })
    .filter((p) => p.rate_bp > 0);
  const first = products[0];
  if (!first) throw new Error('the demo catalog has no product that pays commission');
  const ctx = await openContext(loadConfig(env), createLogger('warn', 2));
  try {
    return {
      database,
      databaseUrl,
      dataDir,
      env,
      merchantSecret: MERCHANT_SECRET,
      payees: await createPayees(ctx, payees, first.url),
      productIds: products.map((p) => p.product_id),
    };
  } finally {
    await ctx.close();
  }
}
