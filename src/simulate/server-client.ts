import { signMerchantPayload } from '../orders/merchant-signature.js';

export type ClockState = { now: string; offset_ms: number };
export type JobsRun = {
  now: string;
  orders_checked: number;
  settled: number;
  confirmed: number;
  invalidated: number;
  payout_run: { period: string; withdrawals: number; paid_minor: string } | null;
};
export type EventResult =
  | { status: 'accepted'; replayed?: boolean }
  | { status: 'rejected'; error: { code: string; message: string } };

/**
 * A running affnet server as `affnet simulate` sees it: its links (followed like a
 * browser, without going on to the marketplace), the merchant events endpoint (signed like
 * the marketplace signs), and the demo controls behind an operator token.
 */
export class ServerClient {
  /** The server's clock minus ours: signatures must carry the server's time. */
  #skewMs = 0;
  constructor(
    readonly baseUrl: string,
    readonly operatorToken: string,
    readonly merchantSecret: string,
  ) {}

  /** Now on the server's clock, as far as we can tell from the last answer. */
  serverNow(): Date {
    return new Date(Date.now() + this.#skewMs);
  }

  async clock(): Promise<ClockState> {
    return this.#learn(await this.#operator<ClockState>('GET', '/clock'));
  }

  async advance(seconds: number): Promise<ClockState> {
    return this.#learn(
      await this.#operator<ClockState>('POST', '/clock', { advance_seconds: seconds }),
    );
  }

  async flushClicks(): Promise<void> {
    await this.#operator('POST', '/clicks/flush', {});
  }

  async runJobs(): Promise<JobsRun> {
    return this.#operator<JobsRun>('POST', '/jobs/run', {});
  }

  /** Follows a tracking link once; the click id the redirect hands the marketplace, or null. */
  async click(
    code: string,
    options: { sub1: string | null; userAgent: string },
  ): Promise<{ status: number; clickId: string | null }> {
    const query = options.sub1 ? `?sub1=${encodeURIComponent(options.sub1)}` : '';
    const res = await fetch(`${this.baseUrl}/c/${code}${query}`, {
      redirect: 'manual',
      headers: { 'user-agent': options.userAgent },
    });
    await res.arrayBuffer();
    const location = res.headers.get('location');
    const clickId = location ? new URL(location).searchParams.get('aff_click_id') : null;
    return { status: res.status, clickId };
  }

  /** Sends merchant events as one signed batch; one result per event, in order. */
  async sendEvents(events: readonly unknown[]): Promise<EventResult[]> {
    const body = JSON.stringify({ events });
    const t = Math.floor(this.serverNow().getTime() / 1000);
    const res = await fetch(`${this.baseUrl}/api/merchant/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'affnet-signature': signMerchantPayload(this.merchantSecret, body, t),
      },
      body,
    });
    const answer = (await res.json()) as { results?: EventResult[]; error?: { message: string } };
    if (res.status !== 200 || !answer.results)
      throw new Error(
        `merchant events: HTTP ${res.status} ${answer.error?.message ?? JSON.stringify(answer)}`,
      );
    return answer.results;
  }

  #learn(state: ClockState): ClockState {
    this.#skewMs = new Date(state.now).getTime() - Date.now();
    return state;
  }

  async #operator<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/api/operator/v1/demo${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.operatorToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await res.json()) as T & { error?: { message: string } };
    if (res.status === 404)
      throw new Error(
        `${this.baseUrl} has no demo controls: start it with \`affnet serve --demo\` (its clock can then be moved)`,
      );
    if (res.status !== 200)
      throw new Error(`${method} ${path}: HTTP ${res.status} ${answer.error?.message ?? ''}`);
    return answer;
  }
}
