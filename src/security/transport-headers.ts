/**
 * Strict-Transport-Security, sent only when affnet is reached over https (AFFNET_PUBLIC_URL
 * starts with https:): browsers then refuse plain http to this host for a year. Over plain
 * http the header would be ignored at best, and would lock out a site that later drops TLS.
 */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** The headers every response carries, API and redirect included. */
export function transportHeaders(secure: boolean): Record<string, string> {
  return secure
    ? { 'x-content-type-options': 'nosniff', 'strict-transport-security': HSTS }
    : { 'x-content-type-options': 'nosniff' };
}
