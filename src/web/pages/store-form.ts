import type { TrackingId } from '../../affiliates/tracking-ids.js';
import type { CategoryNode } from '../../catalog/list-categories.js';
import {
  MAX_STORE_CATEGORIES,
  MAX_STORE_KEYWORDS,
  MAX_STORE_PRODUCTS,
  STORE_THEMES,
  type Storefront,
  type StorefrontInput,
  storefrontInput,
  THEME_LABELS,
} from '../../storefront/schema.js';
import { type FormState, field, formMessage, formValues, select, textArea } from '../forms.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';

/** More boxes than the category tree has in any import: what a hostile form may send. */
const MAX_POSTED_BOXES = 500;

/** The form's fields as the input of a store, and the text to show again on an error. */
export function readStoreForm(
  body: unknown,
):
  | { ok: true; input: StorefrontInput; values: Record<string, string> }
  | { ok: false; state: FormState } {
  const values = formValues(body);
  const posted = (body as Record<string, unknown> | undefined)?.categoryIds;
  const categoryIds = (Array.isArray(posted) ? posted : posted === undefined ? [] : [posted])
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .slice(0, MAX_POSTED_BOXES);
  values.categoryIds = categoryIds.join('\n');
  const input = {
    name: values.name ?? '',
    slug: (values.slug ?? '').trim().toLowerCase(),
    theme: values.theme ?? '',
    trackingId: values.trackingId ?? '',
    seoTitle: values.seoTitle ?? '',
    seoDescription: values.seoDescription ?? '',
    categoryIds,
    keywords: splitList(values.keywords ?? '', /[,\n]/),
    productIds: splitList(values.productIds ?? '', /[\s,]+/),
  };
  const parsed = storefrontInput.safeParse(input);
  if (parsed.success) return { ok: true, input: { ...input, theme: parsed.data.theme }, values };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? '_form');
    const which = typeof issue.path[1] === 'number' ? `item ${issue.path[1] + 1}: ` : '';
    errors[name] ??= `${which}${issue.message}`;
  }
  return { ok: false, state: { values, errors, message: errors._form } };
}

function splitList(text: string, separator: RegExp): string[] {
  return text
    .slice(0, 20_000)
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A store as the form's values, to edit it. */
export function storeValues(store: Storefront): Record<string, string> {
  return {
    name: store.name,
    slug: store.slug,
    theme: store.theme,
    trackingId: store.trackingId,
    seoTitle: store.seoTitle,
    seoDescription: store.seoDescription,
    categoryIds: store.categoryIds.join('\n'),
    keywords: store.keywords.join('\n'),
    productIds: store.productIds.join('\n'),
  };
}

/** The store form: what the store is called and where, how it looks, and what it shows. */
export function storeForm(options: {
  action: string;
  submit: string;
  csrf: string;
  state: FormState;
  trackingIds: readonly TrackingId[];
  categories: readonly CategoryNode[];
}): Html {
  const { state } = options;
  return html`<form class="panel store-form" method="post" action="${options.action}" novalidate>
${csrfField(options.csrf)}
${formMessage(state)}
<div class="row">
${field('name', 'Store name', state, { required: true })}
${field('slug', 'Address', state, { required: true, hint: 'Your store is at /s/<address>: 3–40 lower-case letters, digits or hyphens.', autocomplete: 'off' })}
</div>
<div class="row">
${select(
  'theme',
  'Theme',
  STORE_THEMES.map((t) => ({ value: t, label: THEME_LABELS[t] })),
  state,
)}
${select(
  'trackingId',
  'Tracking id of its links',
  options.trackingIds.map((t) => ({ value: t.name, label: t.name })),
  state,
)}
</div>
${field('seoTitle', 'Title for search engines', state, { hint: 'Up to 70 characters; the store name when empty.' })}
${textArea('seoDescription', 'Description for search engines', state, { hint: 'Up to 160 characters, shown under the title in search results.', rows: 2 })}
<h2>What the store shows</h2>
<p class="muted">The products of the chosen categories (and everything below them), only those whose title contains one of the keywords if you give keywords, plus the products you list by id.</p>
${categoryBoxes(options.categories, state)}
${textArea('keywords', 'Keywords', state, { hint: `Up to ${MAX_STORE_KEYWORDS}, one per line or separated by commas.`, rows: 3 })}
${textArea('productIds', 'Product ids', state, { hint: `Up to ${MAX_STORE_PRODUCTS} catalog product ids (the number in a product's marketplace address), separated by spaces, commas or lines.`, rows: 3 })}
<button type="submit">${options.submit}</button>
</form>`;
}

/** The category tree as nested lists of check boxes, the chosen ones checked. */
function categoryBoxes(categories: readonly CategoryNode[], state: FormState): Html {
  const chosen = new Set((state.values.categoryIds ?? '').split('\n'));
  const children = new Map<string | null, CategoryNode[]>();
  for (const c of categories) {
    const list = children.get(c.parentId) ?? [];
    list.push(c);
    children.set(c.parentId, list);
  }
  const level = (parentId: string | null, depth: number): Html => {
    const list = children.get(parentId) ?? [];
    if (list.length === 0 || depth > 16) return html``;
    return html`<ul>${list.map(
      (c) =>
        html`<li><label><input type="checkbox" name="categoryIds" value="${c.id}"${chosen.has(c.id) ? html` checked` : ''}> ${c.name}</label>${level(c.id, depth + 1)}</li>`,
    )}</ul>`;
  };
  const error = state.errors.categoryIds;
  return html`<fieldset class="field category-tree${error ? ' has-error' : ''}"${error ? html` aria-describedby="f-categoryIds-error"` : ''}>
<legend>Categories <span class="muted">(up to ${MAX_STORE_CATEGORIES})</span></legend>
${error ? html`<p class="error" id="f-categoryIds-error">${error}</p>` : ''}
${level(null, 0)}
</fieldset>`;
}
