import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connection, connect } from '../db/connection.js';
import { CliSandbox } from '../test/cli.js';
import { inParallel, ServerPair } from '../test/server-pair.js';

const databaseUrl = process.env.DATABASE_URL;
const REDIRECTS = 3000;
const ORDERS_PER_AFFILIATE = 16;
const WITHDRAWABLE_TIMES = 10n;
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) affnet-multi-instance-test';
/** Orders are paid this long after their clicks: sooner looks like click injection. */
const CLICK_TO_PAYMENT_MS = 11_000;

type Outcome = { id: string | null; status: string; replayed?: boolean; error?: unknown };
type Click = { affiliate: number; productId: string; clickId: string; answeredMs: number };

/**
 * Two `affnet serve` processes on one PostgreSQL database, each with its own data directory
 * (the key and merchant secret shared, as two machines would be configured), every kind of
 * request spread across both at once: what one server does, the other must not do again.
 */
describe.skipIf(!databaseUrl)(
  `two servers on one database, requests spread across both [postgres${
    databaseUrl
      ? ''
      : ': skipped, DATABASE_URL not set — two processes sharing one database is a PostgreSQL deployment'
  }]`,
  () => {
    const sandbox = new CliSandbox();
    const secrets = {
      AFFNET_SECRET_KEY: randomBytes(32).toString('base64'),
      AFFNET_MERCHANT_SECRET: `msk_${randomBytes(24).toString('hex')}`,
    };
    let connection: Connection;
    const servers = new ServerPair(sandbox, secrets);
    const affiliates: { id: string; key: string }[] = [];
    const clicks: Click[] = [];
    let subOrderIds: string[] = [];

    const cli = async (args: string[]) => {
      const result = await sandbox.run(args, secrets);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(0);
      return result.stdout;
    };

    beforeAll(async () => {
      await sandbox.start();
      await cli(['seed', '--demo', '--no-history']);
      connection = connect({ databaseUrl: sandbox.databaseUrl, pgPoolSize: 2 });
      const rows = await connection.db
        .selectFrom('affiliates')
        .select('id')
        .orderBy('id')
        .limit(3)
        .execute();
      const keys = await Promise.all(
        rows.map((r) =>
          cli(['affiliate', 'api-key', r.id, '--scopes', 'links:write,payouts:write', '--json']),
        ),
      );
      for (const [i, r] of rows.entries())
        affiliates.push({ id: r.id, key: JSON.parse(keys[i] as string).key });
      await servers.start();
    }, 60_000);
    afterAll(async () => {
      await servers.stop();
      await connection?.close();
      await sandbox.stop();
    });

    it('stores every redirect either server answered as one click, and makes each link once', async () => {
      // Per affiliate, eight product URLs it has no link for yet (other affiliates' products).
      const links: { affiliate: number; code: string; productId: string }[] = [];
      for (const [a, affiliate] of affiliates.entries()) {
        const urls = await connection.db
          .selectFrom('links')
          .select('url')
          .distinct()
          .where('affiliate_id', '!=', affiliate.id)
          .where('url', 'not in', (eb) =>
            eb.selectFrom('links').select('url').where('affiliate_id', '=', affiliate.id),
          )
          .orderBy('url')
          .limit(8)
          .execute();
        // The same links asked of both servers at once: one link per URL, made once.
        const answers = await Promise.all(
          [0, 1].map(async (i) => {
            const res = await fetch(`${servers.base(i)}/api/v1/links`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${affiliate.key}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({ urls: urls.map((u) => u.url) }),
            });
            expect(res.status).toBe(200);
            return (
              (await res.json()) as {
                links: { code: string; product_id: string; created: boolean }[];
              }
            ).links;
          }),
        );
        const [first, second] = answers as [(typeof answers)[0], (typeof answers)[0]];
        expect(first.map((l) => l.code)).toEqual(second.map((l) => l.code));
        expect(first.map((l, i) => Number(l.created) + Number(second[i]?.created))).toEqual(
          urls.map(() => 1),
        );
        for (const l of first) links.push({ affiliate: a, code: l.code, productId: l.product_id });
      }
      expect(links).toHaveLength(24);

      // A few thousand clicks from as many visitors, alternating servers, 48 in flight.
      const answered = await inParallel(REDIRECTS, 48, async (n) => {
        const link = links[n % links.length] as (typeof links)[number];
        const res = await fetch(`${servers.base(n)}/c/${link.code}`, {
          redirect: 'manual',
          headers: {
            'user-agent': USER_AGENT,
            'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
            referer: `https://site-${link.affiliate}.example/post-${n % 40}`,
          },
        });
        await res.arrayBuffer();
        expect(res.status).toBe(302);
        const clickId = /[?&]aff_click_id=([^&#]+)/.exec(res.headers.get('location') ?? '')?.[1];
        expect(clickId).toBeDefined();
        return {
          affiliate: link.affiliate,
          productId: link.productId,
          clickId: clickId as string,
          answeredMs: Date.now(),
        };
      });
      clicks.push(...answered);

      const stopped = await servers.stop();
      let redirects = 0;
      let written = 0;
      for (const s of stopped) {
        expect(s.code).toBe(0);
        expect(s.stderr).toBe(''); // no write failed, nothing was spilled
        const counts = /answered (\d+) redirects, recorded (\d+) clicks, wrote (\d+)/.exec(
          s.stdout,
        );
        expect(counts, s.stdout + s.stderr).not.toBeNull();
        redirects += Number(counts?.[1]);
        written += Number(counts?.[3]);
        // Both servers took their share.
        expect(Number(counts?.[1])).toBe(REDIRECTS / 2);
      }
      expect({ redirects, written }).toEqual({ redirects: REDIRECTS, written: REDIRECTS });
      const stored = await connection.db.selectFrom('clicks').select('id').execute();
      expect(stored.map((c) => c.id).sort()).toEqual(clicks.map((c) => c.clickId).sort());
      // Both writers added to the same rollup rows; every visitor was new.
      const rollup = await connection.db
        .selectFrom('click_daily')
        .select((eb) => [
          eb.fn.sum<bigint>('clicks').as('clicks'),
          eb.fn.sum<bigint>('unique_clicks').as('unique'),
        ])
        .executeTakeFirstOrThrow();
      expect([Number(rollup.clicks), Number(rollup.unique)]).toEqual([REDIRECTS, REDIRECTS]);
      await servers.start();
    }, 60_000);

    it('books each commission once and settles it once, whatever server gets each duplicate', async () => {
      expect(clicks.length).toBe(REDIRECTS);
      const orders = affiliates.flatMap((_, a) =>
        Array.from({ length: ORDERS_PER_AFFILIATE }, (_, i) => {
          const mine = clicks.filter((c) => c.affiliate === a);
          const click = mine[i * 7] as Click;
          const other = mine[i * 7 + 1] as Click;
          return { orderId: `mi-${a}-${i}`, click, products: [click.productId, other.productId] };
        }),
      );
      const lastClickMs = Math.max(...orders.map((o) => o.click.answeredMs));
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, lastClickMs + CLICK_TO_PAYMENT_MS - Date.now())),
      );
      const paidAt = new Date();
      subOrderIds = orders.flatMap((o) => o.products.map((_, k) => `${o.orderId}-${k + 1}`));
      const paid = orders.map((o) =>
        merchantEvent(`paid-${o.orderId}`, 'order.paid', {
          order_id: o.orderId,
          sub_orders: o.products.map((productId, k) => ({
            sub_order_id: `${o.orderId}-${k + 1}`,
            product_id: productId,
            quantity: 2,
            unit_price_minor: 10_000,
            currency: 'USD',
          })),
          buyer_id: `buyer-${o.orderId}`,
          is_new_buyer: false,
          ship_to_country: 'DE',
          shipping_method: 'DHL',
          click_id: o.click.clickId,
          paid_at: paidAt.toISOString(),
        }),
      );
      await deliverTwice(paid.map((e) => [e]));

      const subOrders = await connection.db
        .selectFrom('sub_orders')
        .select(['sub_order_id', 'commission_settlement_minor'])
        .execute();
      expect(subOrders.map((s) => s.sub_order_id).sort()).toEqual([...subOrderIds].sort());
      expect(subOrders.every((s) => s.commission_settlement_minor > 0n)).toBe(true);
      expect(await connection.db.selectFrom('orders').select('order_id').execute()).toHaveLength(
        orders.length,
      );
      await expectOncePerSubOrder('commission:');

      // Shipment and receipt, each sent twice the same way.
      const shippedAt = new Date(Math.max(Date.now(), paidAt.getTime() + 1));
      const confirmedAt = new Date(shippedAt.getTime() + 1);
      await deliverTwice(
        orders.map((o) => [
          merchantEvent(`ship-${o.orderId}`, 'order.shipped', {
            order_id: o.orderId,
            shipping_method: 'DHL',
            shipped_at: shippedAt.toISOString(),
          }),
          merchantEvent(`conf-${o.orderId}`, 'order.receipt_confirmed', {
            order_id: o.orderId,
            confirmed_at: confirmedAt.toISOString(),
          }),
        ]),
      );

      // Two job runners at once (and the first server's own, if its minute comes).
      const later = new Date(confirmedAt.getTime() + 3_600_000).toISOString();
      const runs = await Promise.all(
        [0, 1].map(() => cli(['jobs', 'run', '--now', later, '--json'])),
      );
      expect(runs.map((r) => JSON.parse(r)).every((r) => typeof r.settled === 'number')).toBe(true);
      const unsettled = await connection.db
        .selectFrom('sub_orders')
        .select(['sub_order_id', 'status', 'explanation'])
        .where('status', '!=', 'completed_settlement')
        .execute();
      expect(unsettled, JSON.stringify(unsettled[0])).toHaveLength(0);
      await expectOncePerSubOrder('settle:');
    }, 60_000);

    it('withdraws from both servers at once without overdrawing, one withdrawal per key', async () => {
      const owner = affiliates[0] as { id: string; key: string };
      const before = JSON.parse(await cli(['affiliate', 'balance', owner.id, '--json']));
      const balance = BigInt(before.available);
      expect(balance).toBeGreaterThanOrEqual(1600n * WITHDRAWABLE_TIMES);
      expect(before.in_transit).toBe(0);
      // Ten withdrawals fit, the eleventh does not; 32 different ones are asked for.
      const amount = balance / WITHDRAWABLE_TIMES;
      const requests: { server: number; key?: string }[] = [];
      for (let k = 0; k < 24; k += 1) requests.push({ server: k % 2, key: `wd-key-${k}` });
      for (let k = 0; k < 8; k += 1) requests.push({ server: (k + 1) % 2, key: `wd-key-${k}` });
      for (let k = 0; k < 8; k += 1) requests.push({ server: k % 2 });
      const answers = await Promise.all(
        requests.map(async (r) => {
          const res = await fetch(`${servers.base(r.server)}/api/v1/withdrawals`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${owner.key}`,
              'content-type': 'application/json',
              ...(r.key ? { 'idempotency-key': r.key } : {}),
            },
            body: JSON.stringify({ amount: amount.toString() }),
          });
          const body = (await res.json()) as { id?: string; error?: { code: string } };
          return { ...r, status: res.status, id: body.id, code: body.error?.code };
        }),
      );
      for (const a of answers)
        expect(
          a.status === 201 ||
            a.status === 200 ||
            (a.status === 422 && a.code === 'insufficient_balance'),
          JSON.stringify(a),
        ).toBe(true);
      const made = answers.filter((a) => a.status === 201);
      expect(BigInt(made.length)).toBe(WITHDRAWABLE_TIMES);
      // The same key on both servers: one withdrawal, both answers name it (or both refuse).
      for (let k = 0; k < 8; k += 1) {
        const twins = answers.filter((a) => a.key === `wd-key-${k}`);
        expect(twins).toHaveLength(2);
        expect(twins[0]?.id).toBe(twins[1]?.id);
        if (twins[0]?.id) expect(twins.map((t) => t.status).sort()).toEqual([200, 201]);
      }
      const rows = await connection.db
        .selectFrom('withdrawals')
        .select(['id', 'idempotency_key', 'amount_minor'])
        .where('affiliate_id', '=', owner.id)
        .execute();
      expect(rows.map((w) => w.id).sort()).toEqual(made.map((a) => a.id).sort());
      const keys = rows.flatMap((w) => (w.idempotency_key ? [w.idempotency_key] : []));
      expect(new Set(keys).size).toBe(keys.length);
      const withdrawn = rows.reduce((sum, w) => sum + w.amount_minor, 0n);
      expect(withdrawn).toBeLessThanOrEqual(balance);
      const after = JSON.parse(await cli(['affiliate', 'balance', owner.id, '--json']));
      expect(BigInt(after.available)).toBe(balance - withdrawn);
      expect(BigInt(after.in_transit)).toBe(withdrawn);
      expect(after.negative_carry).toBe(0);

      expect(await cli(['ledger', 'audit'])).toMatch(/the ledger balances/);
      expect(await cli(['reports', 'verify'])).toMatch(/the order rollups equal the sub-orders/);
      // Neither server logged a failure (a deadlock, a job that failed) at any point.
      for (const s of await servers.stop()) expect([s.code, s.stderr]).toEqual([0, '']);
    }, 60_000);

    function merchantEvent(id: string, type: string, data: Record<string, unknown>) {
      return { id, type, created_at: new Date().toISOString(), data };
    }

    async function postEvents(i: number, body: unknown): Promise<Outcome[]> {
      const { status, outcomes } = await servers.postEvents<Outcome>(i, body);
      expect(status, JSON.stringify(outcomes)).toBe(200);
      return outcomes;
    }

    /**
     * Every event twice, all at once: the even groups as single events to both servers at
     * the same moment, the odd ones in batches of 12 to one server and in batches shifted by
     * 6 to the other. Each event is then accepted twice, and exactly once not as a replay.
     */
    async function deliverTwice(groups: Record<string, unknown>[][]): Promise<void> {
      const singles = groups.filter((_, i) => i % 2 === 0).flat();
      const batched = groups.filter((_, i) => i % 2 === 1).flat();
      const sends: Promise<Outcome[]>[] = singles.flatMap((e) => [
        postEvents(0, e),
        postEvents(1, e),
      ]);
      const cuts = (from: number) => {
        const starts = [0];
        for (let s = from; s < batched.length; s += 12) if (s > 0) starts.push(s);
        return starts.map((s, k) => batched.slice(s, starts[k + 1] ?? batched.length));
      };
      for (const batch of cuts(12)) sends.push(postEvents(0, { events: batch }));
      for (const batch of cuts(6)) sends.push(postEvents(1, { events: batch }));
      const outcomes = (await Promise.all(sends)).flat();
      const byId = new Map<string | null, Outcome[]>();
      for (const o of outcomes) byId.set(o.id, [...(byId.get(o.id) ?? []), o]);
      expect(byId.size).toBe(singles.length + batched.length);
      for (const [id, twins] of byId) {
        expect(
          twins.map((t) => `${t.status}${t.replayed ? ' (replayed)' : ''}`).sort(),
          `${id}: ${JSON.stringify(twins)}`,
        ).toEqual(['accepted', 'accepted (replayed)']);
      }
    }

    /** Exactly one ledger transfer `<prefix><sub-order>` for every sub-order, none else. */
    async function expectOncePerSubOrder(prefix: string): Promise<void> {
      const transfers = await connection.db
        .selectFrom('ledger_transfers')
        .select(['key', (eb) => eb.fn.countAll<bigint>().as('n')])
        .where('key', 'like', `${prefix}%`)
        .groupBy('key')
        .execute();
      expect(Object.fromEntries(transfers.map((t) => [t.key, Number(t.n)]))).toEqual(
        Object.fromEntries(subOrderIds.map((id) => [`${prefix}${id}`, 1])),
      );
    }
  },
);
