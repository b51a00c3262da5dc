import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { every } from '../lib/every.js';

/** A link as the redirect needs it, with its destination split for appending parameters. */
export type CachedLink = {
  id: string;
  affiliateId: string;
  trackingId: string;
  /** The destination before any #fragment, and the separator its next parameter needs. */
  base: string;
  separator: '?' | '&';
  fragment: string;
};

const MAX_ENTRIES = 200_000;
const MISSING_TTL_MS = 30_000;
const POLL_MS = 1000;

/**
 * Active links by code, in process memory: the redirect looks up only here once a code has
 * been seen. Bounded (oldest entries leave first); unknown codes are remembered for 30 s so
 * a scanner cannot turn every request into a query. Changes made anywhere (this process,
 * the CLI, another server) arrive by polling `links.updated_at` every second.
 */
export class LinkCache {
  readonly #ctx: Pick<Ctx, 'db' | 'clock' | 'log'>;
  readonly #links = new Map<string, CachedLink>();
  readonly #missing = new Map<string, number>();
  readonly #loading = new Map<string, Promise<CachedLink | null>>();
  #since = '';
  #stop = () => {};

  constructor(ctx: Pick<Ctx, 'db' | 'clock' | 'log'>) {
    this.#ctx = ctx;
  }

  start(): void {
    this.#since = toDbTime(this.#ctx.clock.now());
    this.#stop = every(POLL_MS, () => this.poll(), this.#ctx.log, 'link cache poll');
  }

  stop(): void {
    this.#stop();
  }

  /** The cached link, null when known not to exist (or disabled), undefined when not cached. */
  peek(code: string): CachedLink | null | undefined {
    const link = this.#links.get(code);
    if (link) return link;
    const missingSince = this.#missing.get(code);
    if (missingSince !== undefined && performance.now() - missingSince < MISSING_TTL_MS)
      return null;
    return undefined;
  }

  /** Reads a code from the database (once, however many requests ask at the same time). */
  load(code: string): Promise<CachedLink | null> {
    let loading = this.#loading.get(code);
    if (!loading) {
      loading = this.#fetch(code).finally(() => this.#loading.delete(code));
      this.#loading.set(code, loading);
    }
    return loading;
  }

  invalidate(code: string): void {
    this.#links.delete(code);
    this.#missing.delete(code);
  }

  /** Drops every code changed since the last poll; the next request reloads it. */
  async poll(): Promise<void> {
    const rows = await this.#ctx.db
      .selectFrom('links')
      .select(['code', 'updated_at'])
      .where('updated_at', '>=', this.#since)
      .orderBy('updated_at')
      .limit(10_000)
      .execute();
    for (const row of rows) {
      this.invalidate(row.code);
      if (row.updated_at > this.#since) this.#since = row.updated_at;
    }
  }

  async #fetch(code: string): Promise<CachedLink | null> {
    const row = await this.#ctx.db
      .selectFrom('links')
      .select(['id', 'affiliate_id', 'tracking_id', 'url', 'status'])
      .where('code', '=', code)
      .executeTakeFirst();
    if (row?.status !== 'active') {
      remember(this.#missing, code, performance.now());
      return null;
    }
    const hash = row.url.indexOf('#');
    const base = hash === -1 ? row.url : row.url.slice(0, hash);
    const link: CachedLink = {
      id: row.id,
      affiliateId: row.affiliate_id,
      trackingId: row.tracking_id,
      base,
      separator: base.includes('?') ? '&' : '?',
      fragment: hash === -1 ? '' : row.url.slice(hash),
    };
    remember(this.#links, code, link);
    return link;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}
