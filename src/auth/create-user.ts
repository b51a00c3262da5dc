import type { Ctx } from '../context.js';
import { isUniqueViolation } from '../db/connection.js';
import { toDbTime } from '../db/time.js';
import type { UsersTable } from '../db/types.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { hashPassword } from '../security/passwords.js';

export type NewUser = { email: string; password?: string | undefined; role: UsersTable['role'] };

/**
 * A login: email (stored lower-case, unique across roles) and an argon2id password hash.
 * Without a password the account exists but cannot log in until one is set.
 */
export async function createUser(ctx: Ctx, user: NewUser): Promise<{ id: string; email: string }> {
  const email = user.email.trim().toLowerCase();
  const id = newId('usr', ctx.clock);
  const passwordHash = user.password === undefined ? null : await hashPassword(user.password);
  try {
    await ctx.db
      .insertInto('users')
      .values({
        id,
        email,
        password_hash: passwordHash,
        role: user.role,
        created_at: toDbTime(ctx.clock.now()),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('email_taken', `an account with ${email} already exists`);
    throw error;
  }
  return { id, email };
}
