import { describe, expect, it } from 'vitest';
import { html, raw } from './html.js';

describe('html', () => {
  it('escapes interpolated text, keeps its own markup', () => {
    const name = '<script>alert("x")</script>&';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;</p>',
    );
    expect(html`<div>${html`<b>${"it's"}</b>`}</div>`.value).toBe('<div><b>it&#39;s</b></div>');
  });

  it('joins arrays and renders nothing for null, undefined and false', () => {
    expect(
      html`<ul>${[1, 2].map((n) => html`<li>${n}</li>`)}</ul>${null}${undefined}${false}`.value,
    ).toBe('<ul><li>1</li><li>2</li></ul>');
    expect(html`${0}${10n}${raw('<svg/>')}`.value).toBe('010<svg/>');
  });
});
