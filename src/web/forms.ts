import type { z } from 'zod';
import { type Html, html } from './html.js';

/** What the user typed, by field name, and the error of each field that failed. */
export type FormState = {
  values: Record<string, string>;
  errors: Record<string, string>;
  /** An error about the whole form (wrong password, a rule of the program). */
  message?: string | undefined;
};

export const emptyForm: FormState = { values: {}, errors: {} };

/** A posted form as strings only: repeated fields keep their last value, others are dropped. */
export function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      const last = Array.isArray(value) ? value.at(-1) : value;
      if (typeof last === 'string') values[key] = last;
    }
  }
  return values;
}

/** Parses a form with a schema: the data, or the state to show again with each field's error. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
):
  | { ok: true; data: z.output<S>; values: Record<string, string> }
  | { ok: false; state: FormState } {
  const values = formValues(body);
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, state: { values, errors, message: errors._form } };
}

type FieldOptions = {
  type?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: string;
  placeholder?: string;
};

/** A labelled input that keeps what was typed and shows its error next to it. */
export function field(
  name: string,
  label: string,
  state: FormState,
  options: FieldOptions = {},
): Html {
  const id = `f-${name}`;
  const error = state.errors[name];
  const describedBy = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${label}</label>
  ${options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : ''}
  <input id="${id}" name="${name}" type="${options.type ?? 'text'}" value="${options.type === 'password' ? '' : (state.values[name] ?? '')}"${options.required ? html` required` : ''}${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${options.inputmode ? html` inputmode="${options.inputmode}"` : ''}${options.placeholder ? html` placeholder="${options.placeholder}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}>
  ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
</div>`;
}

/** A labelled multi-line input, as `field`. */
export function textArea(
  name: string,
  label: string,
  state: FormState,
  options: { hint?: string; rows?: number } = {},
): Html {
  const id = `f-${name}`;
  const error = state.errors[name];
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${label}</label>
  ${options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : ''}
  <textarea id="${id}" name="${name}" rows="${options.rows ?? 4}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${state.values[name] ?? ''}</textarea>
  ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
</div>`;
}

/** A labelled select that keeps the chosen option. */
export function select(
  name: string,
  label: string,
  options: readonly { value: string; label: string }[],
  state: FormState,
): Html {
  const id = `f-${name}`;
  const error = state.errors[name];
  const chosen = state.values[name];
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${label}</label>
  <select id="${id}" name="${name}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${options.map(
    (o) =>
      html`<option value="${o.value}"${o.value === chosen ? html` selected` : ''}>${o.label}</option>`,
  )}</select>
  ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
</div>`;
}

/** The form-level message, announced to screen readers. */
export function formMessage(state: FormState): Html {
  return state.message ? html`<p class="form-error" role="alert">${state.message}</p>` : html``;
}

/** The notice a `?done=` names, among the page's own (`done=constructor` named Object's). */
export function noticeOf(
  notices: Readonly<Record<string, string>>,
  done: string | undefined,
): string | undefined {
  return done !== undefined && Object.hasOwn(notices, done) ? notices[done] : undefined;
}
