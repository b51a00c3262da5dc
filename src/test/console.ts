import { expect } from 'vitest';
import { createOperator } from '../auth/create-operator.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import { WebAgent } from './web-agent.js';

let operators = 0;

/** An operator logged in to the console (a new operator account each time). */
export async function operatorAgent(app: App, ctx: Ctx): Promise<WebAgent> {
  operators += 1;
  const email = `ops${operators}-${Math.random().toString(36).slice(2, 8)}@affnet.example`;
  const password = 'operator passphrase';
  await createOperator(ctx, { email, password });
  const agent = new WebAgent(app);
  await agent.get('/login');
  const res = await agent.post('/login', { email, password });
  expect(res.location).toBe('/console');
  return agent;
}

/** An affiliate who signed up through the portal and is logged in. */
export async function affiliateAgent(app: App): Promise<WebAgent> {
  const agent = new WebAgent(app);
  await agent.get('/signup');
  const res = await agent.post('/signup', {
    email: `aff-${Math.random().toString(36).slice(2, 10)}@blog.example`,
    password: 'affiliate passphrase',
    country: 'DE',
    websiteUrl: 'https://blog.example',
  });
  expect(res.status).toBe(303);
  return agent;
}
