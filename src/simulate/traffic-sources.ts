import { randomBytes } from 'node:crypto';
import { listAffiliates } from '../affiliates/queries.js';
import { signUp } from '../affiliates/sign-up.js';
import { listProducts } from '../catalog/list-products.js';
import { findProduct } from '../catalog/queries.js';
import type { Ctx } from '../context.js';
import type { DemoProduct } from '../seed/demo-program.js';
import type { SeededRandom } from '../seed/random.js';
import { createLinks } from '../tracking/create-links.js';
import { listLinks } from '../tracking/list-links.js';

/** An affiliate whose links the simulation's visitors follow. */
export type TrafficSource = {
  affiliateId: string;
  links: { code: string; product: DemoProduct }[];
};

const LINKS_WANTED = 10;

/**
 * The `count` oldest approved affiliates with their active product links; short of that,
 * new affiliates `sim-N@affnet.local` are signed up, and one with fewer than ten product
 * links gets links to products of the catalog. Made through the services, as the portal
 * would; the traffic itself goes over HTTP.
 */
export async function trafficSources(
  ctx: Ctx,
  random: SeededRandom,
  options: { count: number; baseUrl: string },
): Promise<TrafficSource[]> {
  const affiliates = await listAffiliates(ctx.db, { status: 'approved', limit: options.count });
  const ids = affiliates.map((a) => a.id);
  for (let n = 1; ids.length < options.count; n += 1) {
    const email = `sim-${n}@affnet.local`;
    const [existing] = await listAffiliates(ctx.db, { email, limit: 1 });
    if (existing?.status === 'approved') {
      if (!ids.includes(existing.id)) ids.push(existing.id);
      continue;
    }
    if (existing) continue;
    const made = await signUp(
      ctx,
      {
        email,
        password: randomBytes(12).toString('hex'),
        country: 'DE',
        websiteUrl: 'https://simulated.example',
      },
      { approve: true },
    );
    ids.push(made.id);
  }
  const catalog = (await listProducts(ctx, { limit: 500 })).filter((p) => p.rateBp > 0);
  const sources: TrafficSource[] = [];
  for (const affiliateId of ids) {
    let links = (await listLinks(ctx.db, affiliateId, options.baseUrl, { limit: 100 })).filter(
      (l) => l.status === 'active' && l.productId !== null,
    );
    if (links.length < LINKS_WANTED && catalog.length > 0) {
      const urls = new Set<string>();
      while (urls.size < Math.min(LINKS_WANTED, catalog.length)) urls.add(random.pick(catalog).url);
      links = await createLinks(ctx, { affiliateId, urls: [...urls] }, options.baseUrl);
    }
    const usable: TrafficSource['links'] = [];
    for (const link of links) {
      const product = link.productId ? await findProduct(ctx.db, link.productId) : undefined;
      if (!product) continue;
      usable.push({
        code: link.code,
        product: {
          productId: product.productId,
          storeId: product.storeId,
          url: product.url,
          priceMinor: product.priceMinor,
          shippingMethods: product.shippingMethods ?? [],
          enrolled: true,
        },
      });
    }
    if (usable.length > 0) sources.push({ affiliateId, links: usable });
  }
  return sources;
}
