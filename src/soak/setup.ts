import { timeCli } from '../bench/bench-util.js';
import type { SoakProduct } from './order-flow.js';

export type SoakLink = { code: string; affiliate: number };

export type SoakWorld = {
  /** The demo affiliate's: the one whose dashboard is read. */
  demoAffiliateId: string;
  affiliateIds: string[];
  /** Each link with the index of its affiliate in `affiliateIds`. */
  links: SoakLink[];
  products: SoakProduct[];
  /** The demo affiliate's REST key, reports:read only. */
  apiKey: string;
};

const NEW_AFFILIATES = 3;
const LINKS_PER_AFFILIATE = 3;

/**
 * The scratch installation the soak runs against, made with the `affnet` command as an
 * operator would: the demo program without history, three more approved affiliates, three
 * product links for each of them and for the demo affiliate, and an API key for the demo
 * affiliate's reports.
 */
export async function setUpWorld(env: NodeJS.ProcessEnv): Promise<SoakWorld> {
  const cli = async (args: string[]) => (await timeCli(args, env)).stdout;
  const seeded = await cli(['seed', '--demo', '--no-history']);
  const demoAffiliateId = /\(id (aff_[0-9a-z]+)\)/.exec(seeded)?.[1];
  if (!demoAffiliateId) throw new Error(`the seed printed no demo affiliate:\n${seeded}`);
  const products = (await cli(['catalog', 'list', '--limit', '500', '--json']))
    .trim()
    .split('\n')
    .map(
      (line) =>
        JSON.parse(line) as {
          product_id: string;
          price_minor: number;
          url: string;
          rate_bp: number;
          currency: string;
        },
    )
    // Products that pay commission, priced in the settlement currency: every order books.
    .filter((p) => p.rate_bp > 0 && p.currency === 'USD');
  if (products.length < 20) throw new Error(`only ${products.length} products pay commission`);

  const affiliateIds = [demoAffiliateId];
  for (let k = 1; k <= NEW_AFFILIATES; k += 1) {
    const made = JSON.parse(
      await cli([
        'affiliate',
        'create',
        '--email',
        `soak-${k}@affnet.test`,
        '--website',
        `https://soak-${k}.example`,
        '--country',
        'DE',
        '--approve',
        '--json',
      ]),
    ) as { id: string };
    affiliateIds.push(made.id);
  }
  const links: SoakLink[] = [];
  for (const [a, affiliateId] of affiliateIds.entries()) {
    const urls = products
      .slice(a * LINKS_PER_AFFILIATE, (a + 1) * LINKS_PER_AFFILIATE)
      .flatMap((p) => ['--url', p.url]);
    const made = await cli(['link', 'create', '--affiliate', affiliateId, ...urls, '--json']);
    for (const line of made.trim().split('\n'))
      links.push({ code: (JSON.parse(line) as { code: string }).code, affiliate: a });
  }
  const key = JSON.parse(
    await cli(['affiliate', 'api-key', demoAffiliateId, '--scopes', 'reports:read', '--json']),
  ) as { key: string };
  return {
    demoAffiliateId,
    affiliateIds,
    links,
    products: products.map((p) => ({ productId: p.product_id, priceMinor: p.price_minor })),
    apiKey: key.key,
  };
}
