/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is
 * already `Html` (made by this tag or by `raw`), so a page cannot carry a visitor's text
 * as markup by mistake. Arrays are joined; null, undefined and false render nothing.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Renderable =
  | Html
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Renderable[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function render(value: Renderable): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup this code made itself (an SVG chart, a QR code): never a visitor's text. */
export function raw(markup: string): Html {
  return new Html(markup);
}
