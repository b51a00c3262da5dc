import { beforeAll, expect, it } from 'vitest';
import { auditLedger } from '../../ledger/audit-ledger.js';
import { getBalances } from '../../payouts/balances.js';
import { type App, buildApp } from '../../server.js';
import { updateSettings } from '../../settings/update-settings.js';
import { operatorAgent } from '../../test/console.js';
import { describeEachDatabase, type TestContext } from '../../test/context.js';
import { seedPayee } from '../../test/payouts.js';
import type { WebAgent } from '../../test/web-agent.js';
import { DEBTOR, RESULTS_HEADER } from '../../test/withdrawals.js';

describeEachDatabase('console: payouts from the dry run to the bank results', (t) => {
  let app: App;
  let ops: WebAgent;
  let paid: { id: string; email: string };
  let refused: { id: string; email: string };

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    await updateSettings(ctx, { values: { settlementCurrency: 'EUR' } });
    paid = await seedPayee(ctx, { earnedMinor: 5000n, currency: 'EUR' });
    refused = await seedPayee(ctx, { earnedMinor: 7000n, currency: 'EUR' });
    ctx.clock.set('2026-04-05T09:00:00.000Z');
    ops = await operatorAgent(app, ctx); // a session lasts a week: log in after the clock moved
  });

  const withdrawals = (ctx: TestContext) =>
    ctx.db
      .selectFrom('withdrawals')
      .select(['id', 'affiliate_id', 'state', 'batch_id'])
      .orderBy('affiliate_id')
      .execute();

  it('previews a month with a dry run that writes nothing, then runs it', async () => {
    const ctx = t();
    const bad = await ops.get('/console/payouts/preview?period=2026-13');
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('a period is a month, YYYY-MM');
    expect(bad.body).toContain('value="2026-13"');

    const preview = await ops.get('/console/payouts/preview?period=2026-03');
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('Dry run for 2026-03');
    expect(preview.body).toContain('2 affiliates, 120.00 EUR (fees 30.00 EUR)');
    expect(await withdrawals(ctx)).toEqual([]);
    expect(await ctx.db.selectFrom('payout_runs').selectAll().execute()).toEqual([]);

    const run = await ops.post('/console/payouts/run', { period: '2026-03' });
    expect(run.status).toBe(303);
    expect(run.location).toBe('/console/payouts?done=run&period=2026-03');
    const page = await ops.get(run.location as string);
    expect(page.body).toContain('Payout run 2026-03 done');
    expect(page.body).toMatch(
      /<td>2026-03<\/td>.*<td class="num">2<\/td><td class="num">120.00 EUR<\/td>/,
    );
    expect(await withdrawals(ctx)).toHaveLength(2);
    // Run again: nobody is paid twice.
    await ops.post('/console/payouts/run', { period: '2026-03' });
    expect(await withdrawals(ctx)).toHaveLength(2);
  });

  it('refuses a SEPA file until the debtor account is set, then makes and downloads one', async () => {
    const ctx = t();
    await ops.get('/console/payouts');
    const refusedExport = await ops.post('/console/payouts/export', { format: 'sepa' });
    expect(refusedExport.status).toBe(422);
    expect(refusedExport.body).toContain('Set the account payouts are paid from');
    expect((await withdrawals(ctx)).every((w) => w.batch_id === null)).toBe(true);

    await updateSettings(ctx, { values: DEBTOR });
    const made = await ops.post('/console/payouts/export', { format: 'sepa' });
    expect(made.location).toBe('/console/payouts?done=exported');
    const rows = await withdrawals(ctx);
    const batchId = rows[0]?.batch_id as string;
    expect(rows.every((w) => w.batch_id === batchId && batchId)).toBe(true);
    const page = await ops.get('/console/payouts');
    expect(page.body).toContain(`/console/payouts/batches/${batchId}/file`);
    expect(page.body).toContain('2 awaiting the bank');

    const file = await app.inject({
      url: `/console/payouts/batches/${batchId}/file`,
      headers: { cookie: `affnet_session=${ops.cookies.get('affnet_session')}` },
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${batchId}.xml"`);
    expect(file.body).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
    for (const w of rows) expect(file.body).toContain(`<EndToEndId>${w.id}</EndToEndId>`);
    const again = await ops.get(`/console/payouts/batches/${batchId}/file`);
    expect(again.body).toBe(file.body);

    await ops.get('/console/payouts');
    const nothing = await ops.post('/console/payouts/export', { format: 'sepa' });
    expect(nothing.location).toBe('/console/payouts?done=nothing');
  });

  it('answers an upload cut short with a 400 page, not a server error', async () => {
    await ops.get('/console/payouts');
    const cookie = [...ops.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await ops.app.inject({
      method: 'POST',
      url: '/console/payouts/results',
      headers: { cookie, 'content-type': 'multipart/form-data; boundary=cut' },
      payload:
        '--cut\r\nContent-Disposition: form-data; name="results"; filename="r.csv"\r\n\r\nabc',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('That upload could not be read');
  });

  it('refuses a results file with a bad line, naming it, then applies a good one', async () => {
    const ctx = t();
    const rows = await withdrawals(ctx);
    const idOf = (affiliateId: string) => rows.find((w) => w.affiliate_id === affiliateId)?.id;
    await ops.get('/console/payouts');
    const none = await ops.post('/console/payouts/results', {});
    expect(none.status).toBe(422);
    expect(none.body).toContain('Choose the results file the bank sent.');

    const badFile = [
      RESULTS_HEADER,
      `${idOf(paid.id)},accepted,,,2026-04-06`,
      'wd-nobody,accepted,,,2026-04-06',
      `${idOf(refused.id)},rejected,,,2026-04-06`,
    ].join('\n');
    const bad = await ops.postFile(
      '/console/payouts/results',
      {},
      {
        field: 'results',
        filename: 'results.csv',
        content: badFile,
      },
    );
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('Nothing was applied.');
    expect(bad.body).toContain('Line 3: no withdrawal wd-nobody');
    expect(bad.body).toContain('Line 4: a rejected transfer needs a reason_code or reason_text');
    expect((await withdrawals(ctx)).map((w) => w.state)).toEqual(['processing', 'processing']);
    expect(await ctx.db.selectFrom('payout_results').selectAll().execute()).toEqual([]);

    const goodFile = [
      RESULTS_HEADER,
      `${idOf(paid.id)},accepted,,,2026-04-06`,
      `${idOf(refused.id)},rejected,AC04,Account closed,2026-04-06`,
      '',
    ].join('\r\n');
    const good = await ops.postFile(
      '/console/payouts/results',
      {},
      {
        field: 'results',
        filename: 'results.csv',
        content: goodFile,
      },
    );
    expect(good.status).toBe(303);
    const page = await ops.get(good.location as string);
    expect(page.body).toContain(
      'Bank results applied: 1 paid, 1 failed, 0 returned, 0 imported before.',
    );
    const states = new Map((await withdrawals(ctx)).map((w) => [w.affiliate_id, w.state]));
    expect(states.get(paid.id)).toBe('succeeded');
    expect(states.get(refused.id)).toBe('failed');
    expect(await getBalances(ctx, refused.id)).toMatchObject({ availableMinor: 7000n });
  });

  it('exports the withdrawals as CSV and shows the ledger balanced', async () => {
    const ctx = t();
    const csv = await ops.get('/console/exports/withdrawals.csv');
    expect(csv.status).toBe(200);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^withdrawal_id,affiliate_id,affiliate_email,state,/);
    expect(lines).toHaveLength(3);
    expect(csv.body).toContain(
      `${paid.email},Success,sepa,payout_run,2026-03,50.00,15.00,35.00,EUR`,
    );
    expect(csv.body).toContain('AC04,Account closed');

    const ledger = await ops.get('/console/ledger');
    expect(ledger.body).toContain('The ledger balances: debits equal credits.');
    expect(ledger.body).toMatch(
      /Withdrawal fees \(program\)<\/td><td class="num">1<\/td><td class="num">15.00 EUR/,
    );
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
    expect((await ops.get('/console')).body).toContain('balanced');
  });
});
