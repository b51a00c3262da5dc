import { beforeAll, expect, it } from 'vitest';
import { createOperator } from '../auth/create-operator.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { WebAgent } from '../test/web-agent.js';

const FORM = {
  email: 'maria@blog.example',
  password: 'a long enough passphrase',
  country: 'de',
  websiteUrl: 'https://blog.example',
};

describeEachDatabase('portal sign-up and log-in', (t) => {
  let app: App;
  beforeAll(async () => {
    app = await buildApp(t());
  });

  it('signs up, lands on the dashboard logged in, logs out and back in', async () => {
    const agent = new WebAgent(app);
    expect((await agent.get('/signup')).status).toBe(200);
    const joined = await agent.post('/signup', FORM);
    expect(joined.status).toBe(303);
    expect(joined.location).toBe('/dashboard?welcome=1');
    expect((await agent.get('/')).location).toBe('/dashboard');

    const home = await agent.get('/');
    expect(home.status).toBe(303);
    await agent.get('/login'); // a page with the log-out form's token
    const out = await agent.post('/logout', {});
    expect(out.location).toBe('/login');
    expect(agent.cookies.has('affnet_session')).toBe(false);
    expect((await agent.get('/')).status).toBe(200);

    await agent.get('/login');
    const back = await agent.post('/login', {
      email: 'MARIA@blog.example',
      password: FORM.password,
    });
    expect(back.location).toBe('/dashboard');
  });

  it('shows each bad field with its error and keeps what was typed, creating nothing', async () => {
    const ctx = t();
    const agent = new WebAgent(app);
    await agent.get('/signup');
    const before = await ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const res = await agent.post('/signup', {
      email: 'not-an-email',
      password: 'short',
      country: 'Germany',
      websiteUrl: 'ftp://x',
    });
    expect(res.status).toBe(422);
    expect(res.body).toContain('enter a valid email address');
    expect(res.body).toContain('use at least 10 characters');
    expect(res.body).toContain('two letters, e.g. DE or US');
    expect(res.body).toContain('value="not-an-email"');
    expect(res.body).toContain('value="Germany"');
    expect(res.body).not.toContain('value="short"');
    const after = await ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses a form without its CSRF token, changing nothing', async () => {
    const ctx = t();
    const agent = new WebAgent(app);
    await agent.get('/signup');
    const res = await agent.post('/signup', {
      ...FORM,
      email: 'csrf@blog.example',
      _csrf: 'forged',
    });
    expect(res.status).toBe(403);
    expect(
      await ctx.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'csrf@blog.example')
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('says the same for an unknown email and a wrong password, and slows down guessing', async () => {
    const agent = new WebAgent(app);
    await agent.get('/login');
    const unknown = await agent.post('/login', {
      email: 'nobody@x.example',
      password: 'whatever it is',
    });
    const wrong = await agent.post('/login', { email: FORM.email, password: 'not the password' });
    expect(unknown.status).toBe(422);
    expect(wrong.status).toBe(422);
    expect(unknown.body).toContain('That email and password do not match an account.');
    expect(wrong.body).toContain('That email and password do not match an account.');
    expect(wrong.body).toContain(`value="${FORM.email}"`);
    let status = 0;
    for (let i = 0; i < 6 && status !== 429; i += 1)
      status = (await agent.post('/login', { email: 'guess@x.example', password: `guess ${i}` }))
        .status;
    expect(status).toBe(429);
  });

  it('gives a new session at every log-in and sends an operator to the console', async () => {
    const ctx = t();
    await createOperator(ctx, { email: 'ops@affnet.example', password: 'operator passphrase' });
    const agent = new WebAgent(app);
    agent.cookies.set('affnet_session', 'planted-by-an-attacker');
    await agent.get('/login');
    const res = await agent.post('/login', {
      email: 'ops@affnet.example',
      password: 'operator passphrase',
    });
    expect(res.location).toBe('/console');
    expect(agent.cookies.get('affnet_session')).not.toBe('planted-by-an-attacker');
  });
});
