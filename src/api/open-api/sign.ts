import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGN_METHODS = ['md5', 'hmac', 'sha256'] as const;
export type SignMethod = (typeof SIGN_METHODS)[number];

/**
 * The AliExpress Open API signature: every parameter but `sign` (absent values dropped),
 * sorted by name in ASCII order and joined as name1value1name2value2… without separators
 * or URL-encoding, digested by `signMethod` and written as upper-case hex. md5 wraps the
 * text in the secret; hmac is HMAC-MD5 and sha256 HMAC-SHA256 keyed by the secret. A
 * system method named by a path (`/auth/token/create`) prefixes the path under sha256.
 */
export function openApiSignature(
  params: Readonly<Record<string, string | undefined>>,
  secret: string,
  signMethod: SignMethod,
  apiPath?: string,
): string {
  const joined = Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== undefined && params[name] !== null)
    .sort()
    .map((name) => `${name}${params[name]}`)
    .join('');
  if (signMethod === 'md5')
    return createHash('md5')
      .update(`${secret}${joined}${secret}`, 'utf8')
      .digest('hex')
      .toUpperCase();
  if (signMethod === 'hmac')
    return createHmac('md5', secret).update(joined, 'utf8').digest('hex').toUpperCase();
  return createHmac('sha256', secret)
    .update(`${apiPath ?? ''}${joined}`, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/** Whether `sign` is the signature of `params`, compared in constant time (hex, any case). */
export function signatureMatches(
  params: Readonly<Record<string, string | undefined>>,
  secret: string,
  signMethod: SignMethod,
  sign: string,
): boolean {
  const expected = Buffer.from(openApiSignature(params, secret, signMethod), 'latin1');
  const given = Buffer.from(sign.toUpperCase(), 'latin1');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
