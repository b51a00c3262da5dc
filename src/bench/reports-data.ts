import { issueApiKey } from '../affiliates/api-keys.js';
import { signUp } from '../affiliates/sign-up.js';
import { createTrackingId, listTrackingIds } from '../affiliates/tracking-ids.js';
import { loadConfig } from '../config.js';
import { openContext } from '../context.js';
import { toDbTime } from '../db/time.js';
import { createLogger } from '../log.js';
import { OrderRollupDeltas } from '../reports/order-rollups.js';
import { SeededRandom } from '../seed/random.js';
import { createLinks } from '../tracking/create-links.js';
import type { BulkLoader } from './bulk-loader.js';
import {
  addOrder,
  clickDaily,
  clickDailySub,
  clickIdAt,
  clicksTable,
  ints,
  pickProduct,
  type Source,
  texts,
} from './reports-rows.js';

export type ReportsDataSize = {
  clicks: number;
  orders: number;
  days: number;
  affiliates: number;
  /** Products in the catalog: the demo's 1,200, and synthetic ones up to this many. */
  products: number;
};
export type ReportsData = {
  /** The large affiliate, whose dashboard is measured. */
  affiliateId: string;
  apiKey: string;
  /** Seconds per step of the generation. */
  seconds: Record<string, number>;
};

const DAY_MS = 86_400_000;
const ROWS_PER_TRANSACTION = 200_000;
/** The large affiliate's share of the clicks and orders; the others share the rest. */
const LARGE_SHARE = 0.4;
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'ES', 'IT', 'PL', 'NL', 'BR', 'MX'].concat(
  ['CA', 'AU', 'JP', 'KR', 'IN', 'TR', 'SE', 'CH', 'BE', 'AT'],
  [''],
);
const AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36',
];

/**
 * Creates the program's affiliates (one large, `affiliates - 1` small), their tracking ids
 * and links through the services, then loads `clicks` clicks and `orders` sub-orders (one
 * per order, attributed to a click a little before) over the last `days` days straight into
 * the tables, in time order as they would arrive, with the click and order rollups that
 * match them. Deterministic (seeded random), except for the ids and the time it runs.
 */
export async function generateReportsData(
  env: NodeJS.ProcessEnv,
  size: ReportsDataSize,
  largeAffiliateId: string,
  loader: () => BulkLoader,
): Promise<ReportsData> {
  const seconds: Record<string, number> = {};
  let started = performance.now();
  const lap = (name: string) => {
    seconds[name] = (performance.now() - started) / 1000;
    started = performance.now();
  };
  const random = new SeededRandom(20_261_127);
  const ctx = await openContext(loadConfig(env), createLogger('warn'));
  const sources: Source[] = [];
  const products: { id: string; priceMinor: bigint }[] = [];
  let apiKey: string;
  try {
    const ids = [largeAffiliateId];
    for (let n = 1; n < size.affiliates; n += 1) {
      const signed = await signUp(
        ctx,
        {
          email: `bench-publisher-${n}@example.com`,
          password: 'a long bench password',
          country: 'DE',
          websiteUrl: `https://publisher-${n}.example`,
        },
        { approve: true },
      );
      ids.push(signed.id);
    }
    for (const row of await ctx.db
      .selectFrom('products')
      .select(['product_id', 'price_minor'])
      .orderBy('product_id')
      .execute())
      products.push({ id: row.product_id, priceMinor: row.price_minor });
    const first = await ctx.db
      .selectFrom('products')
      .select(['url', 'store_id', 'category_id'])
      .limit(1)
      .executeTakeFirstOrThrow();
    const url = first.url;
    // A larger catalog: orders then spread over more products a day, as a big marketplace's do.
    const synthetic = [];
    for (let n = products.length; n < size.products; n += 1) {
      const id = `9${String(n).padStart(12, '0')}`;
      const priceMinor = BigInt(random.int(199, 19_999));
      products.push({ id, priceMinor });
      synthetic.push([id, first.store_id, first.category_id, `Bench product ${n}`, priceMinor]);
    }
    const stamp = toDbTime(new Date());
    for (let start = 0; start < synthetic.length; start += 1000)
      await ctx.db
        .insertInto('products')
        .values(
          synthetic.slice(start, start + 1000).map(([id, store, category, title, price]) => ({
            product_id: id as string,
            store_id: store as string,
            category_id: category as string,
            title: title as string,
            price_minor: price as bigint,
            currency: 'USD',
            url: `${url.split('/item/')[0]}/item/${id}.html`,
            image_urls_json: '[]',
            sales_volume: 0n,
            positive_feedback_bp: null,
            ship_from: null,
            shipping_methods_json: '["DHL"]',
            created_at: stamp,
            updated_at: stamp,
          })),
        )
        .execute();
    for (const [k, affiliateId] of ids.entries()) {
      const names = k === 0 ? ['default', 'blog', 'video', 'coupons', 'app'] : ['default', 'site'];
      const links: Source['links'] = [];
      // The demo world already gives its affiliates some of these names.
      const existing = new Set((await listTrackingIds(ctx.db, affiliateId)).map((t) => t.name));
      for (const name of names) {
        if (!existing.has(name)) await createTrackingId(ctx, affiliateId, name);
        const [link] = await createLinks(
          ctx,
          { affiliateId, urls: [url], trackingId: name },
          'https://affnet.bench',
        );
        if (!link) throw new Error('no link');
        const row = await ctx.db
          .selectFrom('links')
          .select(['id', 'tracking_id'])
          .where('code', '=', link.code)
          .executeTakeFirstOrThrow();
        links.push({ linkId: row.id, trackingId: row.tracking_id });
      }
      // The large affiliate passes 30 campaign names in sub1; the others a few; some none.
      const subCount = k === 0 ? 30 : 5;
      const sub1s = [null, null, ...Array.from({ length: subCount }, (_, i) => `campaign-${i}`)];
      sources.push({ affiliateId, links, sub1s });
    }
    apiKey = (await issueApiKey(ctx, largeAffiliateId, ['reports:read', 'orders:read'])).key;
  } finally {
    await ctx.close();
  }
  lap('affiliates, tracking ids, links');

  const load = loader();
  const nowMs = Date.now();
  const startMs = nowMs - size.days * DAY_MS;
  const every = Math.max(1, Math.floor(size.clicks / size.orders));
  const clickRollup = new Map<string, unknown[]>();
  const clickSubRollup = new Map<string, unknown[]>();
  const orderRollups = new OrderRollupDeltas();
  let orders = 0;
  let rows = 0;
  const count = (map: Map<string, unknown[]>, key: unknown[], bot: boolean, unique: boolean) => {
    const id = key.join('\t');
    let row = map.get(id);
    if (!row) {
      row = [...key, 0n, 0n, 0n];
      map.set(id, row);
    }
    const at = key.length + (bot ? 2 : 0);
    row[at] = (row[at] as bigint) + 1n;
    if (unique) row[key.length + 1] = (row[key.length + 1] as bigint) + 1n;
  };
  try {
    for (let i = 0; i < size.clicks; i += 1) {
      const clickMs = startMs + Math.floor((i / size.clicks) * (size.days * DAY_MS - 3_600_000));
      const source = random.chance(LARGE_SHARE)
        ? (sources[0] as Source)
        : (sources[1 + Math.floor(random.next() * (sources.length - 1))] ?? (sources[0] as Source));
      const link = random.pick(source.links);
      const sub1 = random.pick(source.sub1s);
      const country = random.pick(COUNTRIES);
      const converts = i % every === 0 && orders < size.orders;
      const bot = !converts && random.chance(0.02);
      const unique = !bot && random.chance(0.8);
      const clickedAt = toDbTime(new Date(clickMs));
      const clickId = clickIdAt(clickMs, random);
      await load.add(clicksTable, [
        clickId,
        clickedAt,
        link.linkId,
        source.affiliateId,
        link.trackingId,
        sub1,
        null,
        null,
        null,
        null,
        // A SHA-256 hex, as the redirect stores it.
        `${clickId}${clickId}${clickId}`.slice(0, 64),
        random.pick(AGENTS),
        null,
        country || null,
        bot ? 1n : 0n,
        unique ? 1n : 0n,
      ]);
      const day = clickedAt.slice(0, 10);
      count(clickRollup, [source.affiliateId, day, link.trackingId, country], bot, unique);
      count(clickSubRollup, [source.affiliateId, day, link.trackingId, sub1 ?? ''], bot, unique);
      rows += 1;
      if (converts) {
        orders += 1;
        const paidMs = Math.min(nowMs - 1000, clickMs + random.int(60, 3 * 86_400) * 1000);
        await addOrder(load, orderRollups, random, {
          n: orders,
          clickId,
          source,
          trackingId: link.trackingId,
          sub1,
          paidMs,
          nowMs,
          product: pickProduct(random, products),
        });
        rows += 2;
      }
      if (rows >= ROWS_PER_TRANSACTION) {
        await load.commit();
        rows = 0;
      }
    }
    await load.commit();
    lap(
      `${size.clicks.toLocaleString('en')} clicks, ${orders.toLocaleString('en')} orders and sub-orders`,
    );
    // In key order: each rollup's B-tree is then filled from one end to the other.
    const sorted = (rows: Iterable<unknown[]>) =>
      [...rows]
        .map((row) => [row.slice(0, 4).join('\t'), row] as const)
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([, row]) => row);
    for (const row of sorted(clickRollup.values())) await load.add(clickDaily, row);
    for (const row of sorted(clickSubRollup.values())) await load.add(clickDailySub, row);
    for (const table of orderRollups.tables())
      for (const row of sorted(table.rows))
        await load.add(
          {
            name: table.table,
            columns: [...texts(...table.keyColumns), ...ints(...table.counterColumns)],
          },
          row,
        );
    await load.commit();
    lap('rollups');
  } finally {
    await load.close();
  }
  return { affiliateId: largeAffiliateId, apiKey, seconds };
}
