import { AppError } from '../errors.js';
import { RateLimiter } from '../lib/rate-limiter.js';

/**
 * How fast one affiliate may ask for links, through the REST API and the portal together:
 * 60 requests at once (3,000 URLs), then one a second. A link is cheap to make but
 * permanent; without a bound, one key could fill the links table. Stores make their links
 * through the service, not through this door, and the Open API has its own per-app limit.
 */
export class LinkCallLimit {
  readonly #limiter = new RateLimiter({ perSecond: 1, burst: 60 });

  /** Takes one call of the affiliate's; too_many_requests (429) when its bucket is empty. */
  take(affiliateId: string, now: Date): void {
    if (!this.#limiter.take(affiliateId, now.getTime()))
      throw new AppError(
        'too_many_requests',
        'too many link requests: at most 60 at once, then one a second; wait a moment and send it again',
      );
  }
}
