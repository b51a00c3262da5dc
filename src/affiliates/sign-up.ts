import { createUser } from '../auth/create-user.js';
import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import { newId } from '../lib/ids.js';
import { parseInput } from '../lib/parse-input.js';
import { getSettings } from '../settings/get-settings.js';
import { type AffiliateStatus, type SignUpInput, signUpInput } from './schema.js';
import { DEFAULT_TRACKING_ID } from './tracking-ids.js';

export type SignUpResult = {
  id: string;
  /** The login of the account, for a session started at once. */
  userId: string;
  email: string;
  status: AffiliateStatus;
  trackingId: string;
};

/**
 * Opens an affiliate account: a login, the affiliate, and its `default` tracking id, in one
 * transaction. Approved at once when the program auto-approves (or the operator says so),
 * otherwise pending review.
 */
export async function signUp(
  ctx: Ctx,
  input: SignUpInput,
  options: { approve?: boolean } = {},
): Promise<SignUpResult> {
  const account = parseInput(signUpInput, input);
  const settings = await getSettings(ctx.db, ctx.clock.now());
  const status: AffiliateStatus =
    options.approve || settings.autoApproveAffiliates ? 'approved' : 'pending';
  return inTransaction(ctx, async (tx) => {
    const user = await createUser(tx, {
      email: account.email,
      password: account.password,
      role: 'affiliate',
    });
    const id = newId('aff', tx.clock);
    const now = toDbTime(tx.clock.now());
    await tx.db
      .insertInto('affiliates')
      .values({
        id,
        user_id: user.id,
        country: account.country,
        website_url: account.websiteUrl,
        status,
        status_reason:
          status === 'approved'
            ? options.approve
              ? 'approved at creation'
              : 'auto-approved'
            : null,
        created_at: now,
        status_changed_at: now,
      })
      .execute();
    await tx.db
      .insertInto('tracking_ids')
      .values({
        id: newId('trk', tx.clock),
        affiliate_id: id,
        name: DEFAULT_TRACKING_ID,
        created_at: now,
      })
      .execute();
    return { id, userId: user.id, email: user.email, status, trackingId: DEFAULT_TRACKING_ID };
  });
}
