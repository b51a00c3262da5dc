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

  /**
   * Posts a form; `_csrf` is the last page's unless the fields give one. A list is sent as
   * the field repeated, as a browser sends checked boxes of one name.
   */
  async post(url: string, fields: Record<string, string | string[]>): Promise<Answer> {
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.#headers(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(
        Object.entries({ _csrf: this.#csrf, ...fields }).flatMap(([name, value]) =>
          [value].flat().map((v): [string, string] => [name, v]),
        ),
      ).toString(),
    });
    return this.#read(res);
  }

  /**
   * Posts a form with one file as multipart/form-data, as a browser sends an upload;
   * `_csrf` is the last page's, sent before the file.
   */
  async postFile(
    url: string,
    fields: Record<string, string>,
    file: { field: string; filename: string; content: string; type?: string },
  ): Promise<Answer> {
    const boundary = `----affnet-test-${Math.random().toString(36).slice(2)}`;
    const part = (headers: string, body: string) =>
      `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`;
    const payload =
      Object.entries({ _csrf: this.#csrf, ...fields })
        .map(([name, value]) => part(`Content-Disposition: form-data; name="${name}"`, value))
        .join('') +
      part(
        `Content-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'text/csv'}`,
        file.content,
      ) +
      `--${boundary}--\r\n`;
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.#headers(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
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
