import type { Ctx } from '../context.js';
import type { UsersTable } from '../db/types.js';
import { verifyPassword } from '../security/passwords.js';

// Checked against when the email is unknown, so that an unknown email takes as long as a
// wrong password and the answer does not tell which emails have accounts.
const NO_SUCH_USER_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$dmsKbaqNfhY92qdw71sXDA$CBobp62oP9d1c7mdvYZK/FcUeescg4UPolLl+BoVJ4A';

/** The login an email and password open, or undefined for any mismatch. */
export async function checkPassword(
  ctx: Pick<Ctx, 'db'>,
  email: string,
  password: string,
): Promise<{ id: string; role: UsersTable['role'] } | undefined> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'password_hash', 'role'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
  const valid = await verifyPassword(user?.password_hash ?? NO_SUCH_USER_HASH, password);
  return user?.password_hash && valid ? { id: user.id, role: user.role } : undefined;
}
