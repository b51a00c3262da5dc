import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const CODE_LENGTH = 8;
/** What a code in a /c/ path may look like; anything else is answered 404 without a lookup. */
export const CODE_PATTERN = /^[0-9A-Za-z]{1,32}$/;

/** Eight random base-62 characters: 62⁸ ≈ 2.2 × 10¹⁴ codes, so a collision is a rare retry. */
export function newShortCode(): string {
  const bytes = randomBytes(CODE_LENGTH * 2);
  let code = '';
  // 62 does not divide 256: bytes of 248 and above are skipped so every character is equally likely.
  for (let i = 0; i < bytes.length && code.length < CODE_LENGTH; i += 1) {
    const byte = bytes[i] as number;
    if (byte < 248) code += ALPHABET[byte % 62];
  }
  return code.length === CODE_LENGTH ? code : newShortCode();
}
