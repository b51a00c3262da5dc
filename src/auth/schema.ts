import { z } from 'zod';

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email('not a valid email address'));
/** Long passphrases are welcome; argon2 input is bounded to keep hashing cheap. */
export const password = z.string().min(10, 'must be at least 10 characters').max(200);
