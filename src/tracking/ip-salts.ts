import { hash, randomBytes } from 'node:crypto';
import { DAY_MS } from '../clock.js';
import type { Ctx } from '../context.js';
import { dayOf, toDbTime } from '../db/time.js';
import { every } from '../lib/every.js';

const KEEP_DAYS = 2;
const REFRESH_MS = 60 * 60 * 1000;
const MAX_RECENT = 10_000;

/**
 * Daily random salts for hashing visitor IPs. Today's and tomorrow's are made ahead (the
 * first server to ask writes them; the others read the same), and salts older than two
 * days are deleted, after which nobody can link a stored hash back to an address.
 */
export class IpSalts {
  readonly #ctx: Pick<Ctx, 'db' | 'clock' | 'log'>;
  readonly #salts = new Map<string, string>();
  readonly #recent = new Map<string, string>();
  #recentDay = '';
  #stop = () => {};

  constructor(ctx: Pick<Ctx, 'db' | 'clock' | 'log'>) {
    this.#ctx = ctx;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.#stop = every(REFRESH_MS, () => this.refresh(), this.#ctx.log, 'ip salt refresh');
  }

  stop(): void {
    this.#stop();
  }

  async refresh(): Promise<void> {
    const now = this.#ctx.clock.now();
    const days = [dayOf(toDbTime(now)), dayOf(toDbTime(new Date(now.getTime() + DAY_MS)))];
    for (const day of days) {
      await this.#ctx.db
        .insertInto('ip_salts')
        .values({ day, salt: randomBytes(32).toString('base64'), created_at: toDbTime(now) })
        .onConflict((oc) => oc.column('day').doNothing())
        .execute();
    }
    const rows = await this.#ctx.db
      .selectFrom('ip_salts')
      .select(['day', 'salt'])
      .where('day', 'in', days)
      .execute();
    for (const row of rows) this.#salts.set(row.day, row.salt);
    const oldest = dayOf(toDbTime(new Date(now.getTime() - KEEP_DAYS * DAY_MS)));
    await this.#ctx.db.deleteFrom('ip_salts').where('day', '<', oldest).execute();
    for (const day of this.#salts.keys()) if (day < oldest) this.#salts.delete(day);
  }

  /**
   * The visitor's address hashed with the day's salt (128 bits, base64url). Recent results
   * are remembered per day: the same visitor (and every request of a kept-alive connection)
   * costs a map lookup instead of a SHA-256.
   */
  hashIp(ip: string, day: string): string {
    if (day !== this.#recentDay) {
      this.#recent.clear();
      this.#recentDay = day;
    }
    const known = this.#recent.get(ip);
    if (known !== undefined) return known;
    const hashed = this.#hash(ip, day);
    if (this.#recent.size >= MAX_RECENT)
      this.#recent.delete(this.#recent.keys().next().value as string);
    this.#recent.set(ip, hashed);
    return hashed;
  }

  #hash(ip: string, day: string): string {
    let salt = this.#salts.get(day);
    if (salt === undefined) {
      // Only if the hourly refresh has not run across a day boundary: a salt of our own
      // keeps the raw address out of storage; the next refresh brings the shared one.
      salt = randomBytes(32).toString('base64');
      this.#salts.set(day, salt);
      this.#ctx.log.warn({ day }, 'no shared ip salt for this day yet; using a local one');
    }
    return hash('sha256', salt + ip, 'base64url').slice(0, 22);
  }
}
