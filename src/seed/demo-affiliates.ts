import { issueApiCredentials } from '../affiliates/api-credentials.js';
import { type BankAccountInput, setBankAccount } from '../affiliates/bank-accounts.js';
import { signUp } from '../affiliates/sign-up.js';
import { createTrackingId, listTrackingIds } from '../affiliates/tracking-ids.js';
import type { Ctx } from '../context.js';
import { createLinks } from '../tracking/create-links.js';
import type { DemoProduct } from './demo-program.js';
import type { SeededRandom } from './random.js';

export const DEMO_AFFILIATE = { email: 'demo@affnet.local', password: 'demo-affiliate' } as const;

/** A promoted link, and what the history needs to make clicks and orders on it. */
export type DemoLink = {
  id: string;
  trackingRowId: string;
  product: DemoProduct;
};

export type DemoAffiliate = {
  id: string;
  name: string;
  email: string;
  country: string;
  /** Clicks on an average day at the end of the history. */
  clicksPerDay: number;
  /** Share of people's clicks that become orders. */
  conversion: number;
  links: DemoLink[];
  /** Where the clicks say they came from (sub1). */
  sources: string[];
};

const people: { name: string; country: string; site: string; sources: string[] }[] = [
  { name: 'Gadget Radar', country: 'DE', site: 'gadgetradar.example', sources: ['review', 'deal'] },
  { name: 'Style Hunt', country: 'FR', site: 'stylehunt.example', sources: ['instagram', 'pin'] },
  { name: 'Demo Affiliate', country: 'DE', site: 'deals-blog.example', sources: ['blog', 'mail'] },
  { name: 'Casa Bonita', country: 'ES', site: 'casabonita.example', sources: ['home', 'deco'] },
  { name: 'Trail Notes', country: 'NL', site: 'trailnotes.example', sources: ['gear', 'trip'] },
  { name: 'Deal Stream', country: 'US', site: 'dealstream.example', sources: ['live', 'vod'] },
  { name: 'Beauty Desk', country: 'IT', site: 'beautydesk.example', sources: ['tutorial'] },
  { name: 'Kid Corner', country: 'PL', site: 'kidcorner.example', sources: ['gift', 'age'] },
  { name: 'Auto Tips', country: 'AT', site: 'autotips.example', sources: ['howto'] },
  { name: 'Fit Daily', country: 'BE', site: 'fitdaily.example', sources: ['plan', 'shop'] },
  { name: 'Oferta Brasil', country: 'BR', site: 'ofertabr.example', sources: ['grupo'] },
  { name: 'Smart Home Lab', country: 'DE', site: 'smarthomelab.example', sources: ['test'] },
  { name: 'Budget Finds', country: 'GB', site: 'budgetfinds.example', sources: ['weekly'] },
  { name: 'Retro Wardrobe', country: 'FR', site: 'retrowardrobe.example', sources: ['look'] },
  { name: 'Camp Fire', country: 'ES', site: 'campfire.example', sources: ['list'] },
  { name: 'Pixel Toys', country: 'NL', site: 'pixeltoys.example', sources: ['video'] },
  { name: 'Kitchen Lab', country: 'IT', site: 'kitchenlab.example', sources: ['recipe'] },
  { name: 'Bike Life', country: 'DE', site: 'bikelife.example', sources: ['route'] },
  { name: 'Glow Up', country: 'PL', site: 'glowup.example', sources: ['story'] },
  { name: 'Coupon Cat', country: 'US', site: 'couponcat.example', sources: ['coupon'] },
  { name: 'Hobby Room', country: 'AT', site: 'hobbyroom.example', sources: ['craft'] },
  { name: 'Green Thumb', country: 'BE', site: 'greenthumb.example', sources: ['garden'] },
  { name: 'Night Owl Tech', country: 'GB', site: 'nightowl.example', sources: ['forum'] },
  { name: 'Mini Mode', country: 'FR', site: 'minimode.example', sources: ['kids'] },
  { name: 'Side Project', country: 'DE', site: 'sideproject.example', sources: [] },
];

/** The demo affiliate is the third largest: enough traffic to fill its dashboard's charts. */
export const DEMO_AFFILIATE_INDEX = 2;

/**
 * 25 approved affiliates whose sizes fall off like a real program's (a few large sites,
 * a long tail): each with a bank account (IBAN in Europe, a wire account in the US, paid
 * by hand in Brazil), links to products of a few stores, and, for the larger ones, a
 * second tracking id.
 */
export async function seedAffiliates(
  ctx: Ctx,
  random: SeededRandom,
  options: { products: readonly DemoProduct[]; baseUrl: string; clicksPerDay: number },
): Promise<DemoAffiliate[]> {
  const weights = people.map((_, i) => 1 / (i + 1) ** 1.15);
  const total = weights.reduce((a, b) => a + b, 0);
  const enrolled = options.products.filter((p) => p.enrolled);
  const byUrl = new Map(options.products.map((p) => [p.url, p]));
  const affiliates: DemoAffiliate[] = [];
  for (const [i, person] of people.entries()) {
    const isDemo = i === DEMO_AFFILIATE_INDEX;
    const email = isDemo ? DEMO_AFFILIATE.email : `${person.site.split('.')[0]}@affnet.local`;
    const signed = await signUp(
      ctx,
      {
        email,
        password: isDemo ? DEMO_AFFILIATE.password : 'demo-affiliate',
        country: person.country,
        websiteUrl: `https://${person.site}`,
      },
      { approve: true },
    );
    await setBankAccount(ctx, signed.id, bankAccount(person.name, person.country, i));
    const trackingIds = ['default'];
    if (i < 8) {
      await createTrackingId(ctx, signed.id, person.sources[0] ?? 'social');
      trackingIds.push(person.sources[0] ?? 'social');
    }
    // Each promotes products of a few stores, as niche sites do.
    const stores = new Set<string>();
    while (stores.size < 3) stores.add(random.pick(enrolled).storeId);
    const pool = enrolled.filter((p) => stores.has(p.storeId));
    const chosen = new Set<DemoProduct>();
    const count = Math.min(pool.length, 10 + Math.round(30 * (weights[i] as number)));
    while (chosen.size < count) chosen.add(random.pick(pool));
    const rowIds = new Map((await listTrackingIds(ctx.db, signed.id)).map((t) => [t.name, t.id]));
    const links: DemoLink[] = [];
    for (const trackingId of trackingIds) {
      const urls = [...chosen].map((p) => p.url);
      for (let start = 0; start < urls.length; start += 50) {
        const made = await createLinks(
          ctx,
          { affiliateId: signed.id, trackingId, urls: urls.slice(start, start + 50) },
          options.baseUrl,
        );
        for (const link of made) {
          const product = byUrl.get(link.url) ?? byUrl.get(new URL(link.url).toString());
          if (product)
            links.push({ id: link.id, trackingRowId: rowIds.get(trackingId) as string, product });
        }
      }
    }
    affiliates.push({
      id: signed.id,
      name: person.name,
      email,
      country: person.country,
      clicksPerDay: Math.max(
        8,
        Math.round((options.clicksPerDay * (weights[i] as number)) / total),
      ),
      conversion: 0.02 + random.next() * 0.025,
      links,
      sources: person.sources,
    });
  }
  return affiliates;
}

export async function demoCredentials(ctx: Ctx, affiliateId: string) {
  return issueApiCredentials(ctx, affiliateId);
}

function bankAccount(holderName: string, country: string, index: number): BankAccountInput {
  if (country === 'US' || country === 'BR')
    return {
      accountNumber: `${40_000_000 + index * 7919}`,
      swift: 'CHASUS33XXX',
      holderName,
      country,
    };
  return { iban: ibanFor(country, index), holderName, country };
}

const bbanLength: Record<string, number> = {
  DE: 18,
  FR: 23,
  ES: 20,
  NL: 14,
  IT: 23,
  PL: 24,
  AT: 16,
  BE: 12,
  GB: 18,
};

/** A valid IBAN (ISO 13616 check digits, and the national ones) of the country, per index. */
function ibanFor(country: string, index: number): string {
  const length = bbanLength[country];
  if (!length) throw new Error(`no demo IBAN for ${country}`);
  const n = String(index + 1);
  let bban = n.padStart(length, '0');
  if (country === 'NL') bban = `ABNA${bban.slice(4)}`;
  if (country === 'GB') bban = `NWBK${bban.slice(4)}`;
  if (country === 'IT') bban = `X${bban.slice(1)}`;
  if (country === 'BE') {
    const first = `5390${n.padStart(6, '0')}`;
    bban = `${first}${String(Number(BigInt(first) % 97n) || 97).padStart(2, '0')}`;
  }
  if (country === 'FR') {
    // RIB key: 97 − (89 × bank + 15 × branch + 3 × account) mod 97.
    const [bank, branch, account] = ['20041', '01005', n.padStart(11, '0')];
    const key = 97n - ((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)) % 97n);
    bban = `${bank}${branch}${account}${String(key).padStart(2, '0')}`;
  }
  if (country === 'ES') {
    const [bank, branch, account] = ['2100', '0418', n.padStart(10, '0')];
    bban = `${bank}${branch}${spanishCheck(`00${bank}${branch}`)}${spanishCheck(account)}${account}`;
  }
  const digits = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98n - (BigInt(digits) % 97n);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

function spanishCheck(ten: string): number {
  const weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  const sum = [...ten].reduce(
    (total, digit, i) => total + Number(digit) * (weights[i] as number),
    0,
  );
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check === 10 ? 1 : check;
}
