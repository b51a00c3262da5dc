import type { HttpClient } from './http-client.js';
import type { Verdict } from './stream-stats.js';

/** GET /api/v1/reports/dashboard with the API key: 200 and this month's figures. */
export function dashboardApiRequest(client: HttpClient, apiKey: string): () => Promise<Verdict> {
  return async () => {
    const answer = await client.request('GET', '/api/v1/reports/dashboard', {
      authorization: `Bearer ${apiKey}`,
    });
    if (answer.status !== 200) return `HTTP ${answer.status}`;
    const body = JSON.parse(answer.body) as { this_month?: { clicks?: unknown } };
    return typeof body.this_month?.clicks === 'number' ? undefined : 'dashboard without this_month';
  };
}

/** The portal's /dashboard page in the affiliate's session: 200 and the page's period cards. */
export function portalPageRequest(client: HttpClient, cookie: string): () => Promise<Verdict> {
  return async () => {
    const answer = await client.request('GET', '/dashboard', { cookie });
    if (answer.status !== 200) return `HTTP ${answer.status}`;
    return answer.body.includes('data-period="today"') ? undefined : 'page without its figures';
  };
}

/**
 * Logs in through the portal's form as a browser does: the CSRF cookie and the token from
 * the form, then the POST; returns the session's Cookie header.
 */
export async function logIn(client: HttpClient, email: string, password: string): Promise<string> {
  const form = await client.request('GET', '/login');
  const visitor = /affnet_csrf=([^;]+)/.exec(String(form.headers['set-cookie'] ?? ''))?.[1];
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (!visitor || !token) throw new Error(`GET /login gave no CSRF token (${form.status})`);
  const answer = await client.request(
    'POST',
    '/login',
    { 'content-type': 'application/x-www-form-urlencoded', cookie: `affnet_csrf=${visitor}` },
    new URLSearchParams({ _csrf: token, email, password }).toString(),
  );
  const session = /affnet_session=([^;]+)/.exec(String(answer.headers['set-cookie'] ?? ''))?.[1];
  if (answer.status !== 303 || !session)
    throw new Error(`log-in as ${email} answered ${answer.status}`);
  return `affnet_session=${session}`;
}
