import type { App } from '../server.js';

type Answer = { status: number; body: string; location: string | undefined };

/**
 * A visitor of the portal over `app.inject`: keeps cookies like a browser and sends each
 * form with the CSRF token of the last page it read.
 */
export class WebAgent {
  readonly cookies = new Map<string, string>();
  #csrf = '';
  constructor(readonly app: App) {}

  async get(url: string): Promise<Answer> {
    const res = await this.app.inject({ method: 'GET', url, headers: this.#headers() });
    return this.#read(res);
  }

  /** Posts a form; `_csrf` is the last page's unless the fields give one. */
  async post(url: string, fields: Record<string, string>): Promise<Answer> {
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.#headers(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: this.#csrf, ...fields }).toString(),
    });
    return this.#read(res);
  }

  #headers(): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return cookie ? { cookie } : {};
  }

  #read(res: Awaited<ReturnType<App['inject']>>): Answer {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number }[]) {
      if (c.value === '' || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.#csrf = token;
    const location = res.headers.location;
    return {
      status: res.statusCode,
      body: res.body,
      location: typeof location === 'string' ? location : undefined,
    };
  }
}
