import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { dataDirSecret } from '../security/data-dir-secret.js';

export const SIGNATURE_HEADER = 'affnet-signature';
export const MAX_SIGNATURE_AGE_S = 300;
const HEADER = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/;

/** The secrets merchant events may be signed with: AFFNET_MERCHANT_SECRET, else one kept in the data directory. */
export function merchantSecrets(config: Pick<Config, 'merchantSecrets' | 'dataDir'>): string[] {
  if (config.merchantSecrets) return [...config.merchantSecrets];
  return [`msk_${dataDirSecret(config.dataDir, 'merchant.secret', 32).toString('hex')}`];
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`: what the marketplace sends. */
export function signMerchantPayload(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmac(secret, unixSeconds, body)}`;
}

/**
 * Accepts a request whose signature header matches the raw body under one of the active
 * secrets and is at most 300 s old (or early, for clock skew); compares in constant time.
 */
export function verifyMerchantSignature(
  header: string | undefined,
  body: string,
  secrets: readonly string[],
  now: Date,
): void {
  if (!header) throw new AppError('invalid_signature', 'the Affnet-Signature header is missing');
  const match = HEADER.exec(header.trim());
  if (!match)
    throw new AppError(
      'invalid_signature',
      'Affnet-Signature must be t=<unix seconds>,v1=<64 hex digits>',
    );
  const t = Number(match[1]);
  if (Math.abs(now.getTime() / 1000 - t) > MAX_SIGNATURE_AGE_S)
    throw new AppError(
      'invalid_signature',
      `the signature is more than ${MAX_SIGNATURE_AGE_S} s away from now`,
    );
  const given = Buffer.from(match[2] as string, 'hex');
  let ok = false;
  for (const secret of secrets)
    ok = timingSafeEqual(given, Buffer.from(hmac(secret, t, body), 'hex')) || ok;
  if (!ok)
    throw new AppError(
      'invalid_signature',
      'the signature does not match the body under any active secret',
    );
}

/** The hex HMAC-SHA256 of `t + "." + body` under the secret: one `v1` value. */
export function hmac(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
}
