import { createHash, randomBytes } from 'node:crypto';
import { createUser } from '../auth/create-user.js';
import { email as emailSchema, password as passwordSchema } from '../auth/schema.js';
import { DAY_MS } from '../clock.js';
import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { parseInput } from '../lib/parse-input.js';
import { enqueueEmail } from '../notifications/enqueue-email.js';
import { hashPassword } from '../security/passwords.js';
import { getSeller } from './seller-access.js';

/** How long an invitation link works. */
export const INVITE_DAYS = 7;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export type SellerInvite = {
  sellerId: string;
  userId: string;
  email: string;
  /** Shown once (and emailed): the seller sets a password at `/seller/invite/<token>`. */
  token: string;
  url: string;
  expiresAt: string;
};

/**
 * Gives a seller a seller-center login: a user of role `seller` under `email` (the seller's
 * email if none is given), and an invitation link to set its password, queued as an email.
 * Inviting again sends a new link and ends the ones before it; a seller keeps one login.
 */
export async function inviteSeller(
  ctx: Ctx,
  input: { sellerId: string; email?: string | undefined; baseUrl: string },
): Promise<SellerInvite> {
  const seller = await getSeller(ctx.db, input.sellerId);
  const address = input.email ?? seller.email;
  if (!address)
    throw new AppError('invalid_request', `seller ${seller.id} has no email: give one to invite`);
  const email = parseInput(emailSchema, address);
  const now = ctx.clock.now();
  const token = `inv_${randomBytes(32).toString('base64url')}`;
  const expiresAt = toDbTime(new Date(now.getTime() + INVITE_DAYS * DAY_MS));
  const url = `${input.baseUrl.replace(/\/+$/, '')}/seller/invite/${token}`;
  const userId = await inTransaction(ctx, async (tx) => {
    let id = seller.userId;
    if (!id) {
      id = (await createUser(tx, { email, role: 'seller' })).id;
      await tx.db
        .updateTable('sellers')
        .set({ user_id: id, email: seller.email ?? email })
        .where('id', '=', seller.id)
        .execute();
    }
    await tx.db
      .updateTable('seller_invites')
      .set({ used_at: toDbTime(now) })
      .where('seller_id', '=', seller.id)
      .where('used_at', 'is', null)
      .execute();
    await tx.db
      .insertInto('seller_invites')
      .values({
        token_hash: hashOf(token),
        seller_id: seller.id,
        created_at: toDbTime(now),
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    await enqueueEmail(tx, {
      key: `seller_invite:${hashOf(token)}`,
      kind: 'seller_invite',
      to: email,
      subject: `Your seller center for ${seller.name}`,
      text: `You have been invited to the seller center of the affiliate program for ${seller.name}.\n\nSet your password here (the link works until ${expiresAt}):\n${url}\n`,
    });
    return id;
  });
  const user = await ctx.db
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return { sellerId: seller.id, userId, email: user.email, token, url, expiresAt };
}

/**
 * Sets the password of an invited seller's login; the invitation then is used up. An unknown,
 * used or expired token answers invalid_invite and changes nothing.
 */
export async function acceptSellerInvite(
  ctx: Ctx,
  token: string,
  password: string,
): Promise<{ sellerId: string; userId: string }> {
  const chosen = parseInput(passwordSchema, password);
  const now = toDbTime(ctx.clock.now());
  const invite =
    token.length <= 100
      ? await ctx.db
          .selectFrom('seller_invites as i')
          .innerJoin('sellers as s', 's.id', 'i.seller_id')
          .select(['i.token_hash', 'i.seller_id', 'i.expires_at', 'i.used_at', 's.user_id'])
          .where('i.token_hash', '=', hashOf(token))
          .executeTakeFirst()
      : undefined;
  if (!invite || invite.used_at !== null || invite.expires_at <= now || !invite.user_id)
    throw new AppError(
      'invalid_invite',
      'this invitation is unknown, used or expired: ask the operator for a new one',
    );
  const hash = await hashPassword(chosen);
  const userId = invite.user_id;
  await inTransaction(ctx, async (tx) => {
    const used = await tx.db
      .updateTable('seller_invites')
      .set({ used_at: now })
      .where('token_hash', '=', invite.token_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (used.numUpdatedRows === 0n)
      throw new AppError('invalid_invite', 'this invitation was used meanwhile');
    await tx.db
      .updateTable('users')
      .set({ password_hash: hash })
      .where('id', '=', userId)
      .execute();
  });
  return { sellerId: invite.seller_id, userId };
}
