import { issueApiCredentials } from '../affiliates/api-credentials.js';
import { createOperator } from '../auth/create-operator.js';
import { DAY_MS, ManualClock } from '../clock.js';
import { type Ctx, inTransaction } from '../context.js';
import type { Db } from '../db/types.js';
import { DEMO_AFFILIATE, DEMO_AFFILIATE_INDEX, seedAffiliates } from './demo-affiliates.js';
import { type HistorySummary, seedHistory } from './demo-history.js';
import { seedProgram } from './demo-program.js';
import { DEMO_SELLER, seedDemoSeller } from './demo-seller.js';
import { SeededRandom } from './random.js';

export { DEMO_DOMAIN } from './demo-program.js';
export { DEMO_AFFILIATE, DEMO_SELLER };
export const DEMO_OPERATOR = { email: 'admin@affnet.local', password: 'demo-admin' } as const;

export type DemoSeedResult = {
  products: number;
  stores: number;
  categories: number;
  affiliates: number;
  affiliate: {
    id: string;
    email: string;
    password: string;
    appKey: string;
    appSecret: string;
    trackingId: string;
  };
  operator: { email: string; password: string };
  /** The seller-center login of the first store's seller. */
  seller: { email: string; password: string; sellerId: string; storeId: string };
  /** Absent when seeded without history. */
  history?: HistorySummary;
};

export type DemoSeedOptions = {
  /** Where affnet is reached: the demo market's products live at `baseUrl`/market. */
  baseUrl: string;
  /** Days of program life before now (0: the catalog and accounts only). Default 90. */
  days?: number;
  productsPerStore?: number;
  /** All affiliates' clicks on an average day, near the end of the history. */
  clicksPerDay?: number;
  /** Called as the seed moves on: for a progress bar. */
  onProgress?: (done: number, total: number, step: string) => void;
};

/** True when nobody has an account yet: the only state in which the demo seeds itself. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) === undefined;
}

/**
 * A believable program: 50 sellers' stores with 10,000 products in a three-level category
 * tree, their rates, an operator, 25 affiliates of different sizes, and `days` of history
 * made by the real services on a clock that runs from `days` ago to now (demo-history.ts).
 * The same program on every run (seeded random).
 */
export async function seedDemo(ctx: Ctx, options: DemoSeedOptions): Promise<DemoSeedResult> {
  const days = options.days ?? 90;
  const end = ctx.clock.now();
  const clock = new ManualClock(
    days > 0 ? new Date(Math.floor(end.getTime() / DAY_MS) * DAY_MS - days * DAY_MS) : end,
  );
  const total = days > 0 ? days + 3 : 2;
  const progress = options.onProgress ?? (() => undefined);
  const random = new SeededRandom(20_261_125);
  // One transaction: a seed cut short leaves an empty database, which seeds again at the
  // next start.
  return inTransaction({ ...ctx, clock }, async (tx) => {
    progress(0, total, 'catalog');
    const program = await seedProgram(tx, random, {
      baseUrl: options.baseUrl,
      productsPerStore: options.productsPerStore ?? 200,
    });
    progress(1, total, 'affiliates');
    await createOperator(tx, DEMO_OPERATOR);
    const seller = await seedDemoSeller(tx);
    const affiliates = await seedAffiliates(tx, random, {
      products: program.products,
      baseUrl: options.baseUrl,
      clicksPerDay: options.clicksPerDay ?? 1_600,
    });
    const demo = affiliates[DEMO_AFFILIATE_INDEX];
    if (!demo) throw new Error('the demo affiliate was not created');
    const credentials = await issueApiCredentials(tx, demo.id);
    progress(2, total, 'history');
    const history =
      days > 0
        ? await seedHistory(tx, clock, random, {
            affiliates,
            end,
            days,
            keepPaid: demo.id,
            onDay: (day) => progress(2 + day, total, 'history'),
          })
        : undefined;
    return {
      products: program.products.length,
      stores: program.stores,
      categories: program.categories,
      affiliates: affiliates.length,
      operator: { ...DEMO_OPERATOR },
      seller: { ...DEMO_SELLER, ...seller },
      affiliate: {
        id: demo.id,
        ...DEMO_AFFILIATE,
        ...credentials,
        trackingId: 'default',
      },
      ...(history ? { history } : {}),
    };
  });
}
