import type { Clock } from '../clock.js';
import { ulid } from '../lib/ulid.js';

/**
 * Ids that travel to banks (withdrawals as EndToEndId, batches as MsgId) use a hyphen, not
 * the underscore of other ids: SEPA's character set has no underscore, and strict banks
 * refuse a file that carries one. 29 characters, within the 35 allowed.
 */
export function payoutId(prefix: 'wd' | 'pb', clock: Clock): string {
  return `${prefix}-${ulid(clock.now().getTime())}`;
}
