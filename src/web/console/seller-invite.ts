import type { SellerInvite } from '../../sellers/invite-seller.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';

/** What the last invitation post gave: the link (shown once), or why it was refused. */
export type InviteOutcome =
  | { ok: true; invite: SellerInvite }
  | { ok: false; sellerId: string; email: string; message: string };

/**
 * The "Invite to the seller center" form of one seller, its email prefilled from the seller
 * (or what was typed, when refused). `n` keeps the ids of the page's many forms apart.
 */
export function inviteForm(
  csrf: string,
  seller: { sellerId: string; sellerName: string; sellerEmail: string | null },
  n: number,
  outcome: InviteOutcome | undefined,
): Html {
  const refused =
    outcome && !outcome.ok && outcome.sellerId === seller.sellerId ? outcome : undefined;
  const id = `f-invite-${n}`;
  const email = refused ? refused.email : (seller.sellerEmail ?? '');
  return html`<form method="post" action="/console/sellers/invite" class="inline" novalidate>
${csrfField(csrf)}<input type="hidden" name="sellerId" value="${seller.sellerId}">
<div class="field${refused ? ' has-error' : ''}"><label for="${id}">Seller center login for ${seller.sellerName}</label>
<input id="${id}" name="email" type="email" value="${email}" autocomplete="off"${refused ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${refused ? html`<p class="error" id="${id}-error">${refused.message}</p>` : ''}</div>
<button type="submit" class="secondary">Invite to the seller center</button>
</form>`;
}

/** The link of an invitation just made: shown this once, and emailed to the seller. */
export function invitedPanel(outcome: InviteOutcome | undefined): Html {
  if (!outcome?.ok) return html``;
  const { invite } = outcome;
  return html`<section class="panel" aria-labelledby="h-invited" role="status">
<h2 id="h-invited">Invitation sent to ${invite.email}</h2>
<p>The seller sets a password at this link until ${invite.expiresAt}. It is shown only now (and was emailed); inviting again ends it.</p>
<p><label for="f-invite-url">Invitation link</label> <input id="f-invite-url" type="text" readonly value="${invite.url}" size="60"></p>
</section>`;
}
