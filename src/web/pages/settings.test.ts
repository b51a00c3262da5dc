import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp } from '../../server.js';
import { describeEachDatabase } from '../../test/context.js';
import { seedAffiliate } from '../../test/factories.js';
import { WebAgent } from '../../test/web-agent.js';

// Found by the fuzz (src/api/fuzz-forms.test.ts): the settings forms answered a refusal
// with 200, as if it had been taken; now with the refusal's own status, as the other forms.
describeEachDatabase('the settings forms', (t) => {
  let app: App;
  let agent: WebAgent;

  beforeAll(async () => {
    const affiliate = await seedAffiliate(t(), { approve: true });
    app = await buildApp(t());
    agent = new WebAgent(app);
    await agent.get('/login');
    await agent.post('/login', { email: affiliate.email, password: 'a long password' });
    await agent.get('/settings');
  });

  it('answers a refused form with its error status and shows the error', async () => {
    const bad = await agent.post('/settings/tracking-ids', { name: 'not a name!' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/id="f-name-error"/);
    expect((await agent.post('/settings/tracking-ids', { name: 'blog' })).status).toBe(303);
    expect((await agent.post('/settings/tracking-ids', { name: 'blog' })).status).toBe(409);
    const hook = await agent.post('/settings/webhooks', {
      url: 'ftp://x.example/',
      events: 'order.paid',
    });
    expect(hook.status).toBe(422);
  });
});
