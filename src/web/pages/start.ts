import type { FastifyInstance } from 'fastify';
import { html } from '../html.js';
import { page } from '../layout.js';
import { sendHtml } from '../plugin.js';

/** GET / — the front door: members go to their home page, visitors see what this is. */
export function startPage(web: FastifyInstance): void {
  web.get('/', async (request, reply) => {
    const session = request.webSession;
    if (session?.role === 'affiliate')
      return reply.code(303).header('location', '/dashboard').send();
    if (session?.role === 'operator') return reply.code(303).header('location', '/console').send();
    return sendHtml(
      reply,
      page(
        { title: 'Affiliate program', session, csrf: request.webCsrf },
        html`<section class="panel">
<h1>Earn with the marketplace's products</h1>
<p>Share tracking links to any product, store or search. When a buyer you sent pays and confirms receipt, your commission is settled and paid to your bank account every month.</p>
<ul>
<li>Every order shows its state and how each cent of its commission was reached.</li>
<li>Withdraw when you like; a transfer the bank refuses gives back the amount and the fee.</li>
<li>Links, reports and payouts by API too: <a href="/docs">REST API</a>, AliExpress-compatible <code>/sync</code>.</li>
</ul>
<p class="row"><a class="button" href="/signup">Join the program</a> <a class="button secondary" href="/login">Log in</a></p>
</section>`,
      ),
    );
  });
}
