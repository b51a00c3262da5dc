import type { PayoutRail } from '../../db/types.js';
import type { PayoutBatch } from '../../payouts/operator-queries.js';
import type { LineProblem } from '../../payouts/read-results-file.js';
import { type FormState, formMessage, select } from '../forms.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';
import { amount, when } from './view.js';

/** A results file refused whole: the reason, and every bad line by number. */
export type ImportRefusal = { message: string; problems: readonly LineProblem[] };

/** The bad lines shown on the page; the rest are counted. */
export const MAX_SHOWN_PROBLEMS = 200;

const RAILS: Record<PayoutRail, string> = {
  sepa: 'SEPA credit transfer',
  wire: 'International wire',
  manual: 'Paid by hand (no file: pay, then import the results)',
};
export const FORMATS = [
  { value: 'sepa', label: 'SEPA credit transfers (pain.001.001.03 XML)' },
  { value: 'csv', label: 'International wires (CSV)' },
] as const;

function batchStates(b: PayoutBatch): string {
  const parts = [
    b.states.succeeded ? `${b.states.succeeded} paid` : '',
    b.states.processing ? `${b.states.processing} awaiting the bank` : '',
    b.states.failed ? `${b.states.failed} failed` : '',
    b.states.returned ? `${b.states.returned} returned` : '',
  ].filter(Boolean);
  return parts.join(', ') || '—';
}

function refusalPanel(refusal: ImportRefusal): Html {
  const shown = refusal.problems.slice(0, MAX_SHOWN_PROBLEMS);
  const more = refusal.problems.length - shown.length;
  return html`<div class="form-error" role="alert">
<p><strong>Nothing was applied.</strong> ${refusal.message}</p>
${shown.length > 0 ? html`<ul class="problems">${shown.map((p) => html`<li>Line ${p.line}: ${p.message}</li>`)}</ul>` : ''}
${more > 0 ? html`<p>… and ${more} more bad lines.</p>` : ''}
</div>`;
}

/** Bank files: what waits for one, the form that makes one, the batches, and results import. */
export function bankFilesSection(
  csrf: string,
  view: {
    awaiting: { rail: PayoutRail; currency: string; count: number; netMinor: bigint }[];
    batches: PayoutBatch[];
    exportForm?: FormState | undefined;
    refusal?: ImportRefusal | undefined;
  },
): Html {
  const exportForm = view.exportForm ?? { values: { format: 'sepa' }, errors: {} };
  return html`<section class="panel" aria-labelledby="h-files">
<h2 id="h-files">Bank files</h2>
${
  view.awaiting.length === 0
    ? html`<p class="muted">No withdrawal is waiting for a bank file.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Withdrawals waiting for a bank file" tabindex="0"><table><thead><tr><th>Waiting to be sent</th><th class="num">Transfers</th><th class="num">Net to banks</th></tr></thead><tbody>${view.awaiting.map(
        (a) =>
          html`<tr><td>${RAILS[a.rail]}</td><td class="num">${a.count}</td><td class="num">${amount(a.netMinor, a.currency)}</td></tr>`,
      )}</tbody></table></div>`
}
<form method="post" action="/console/payouts/export#h-files" class="row" novalidate>
${csrfField(csrf)}
${formMessage(exportForm)}
${select('format', 'Bank file for', FORMATS, exportForm)}
<div class="field"><button type="submit">Create bank file</button></div>
</form>
${
  view.batches.length === 0
    ? html`<p class="muted">No bank file yet.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Bank files" tabindex="0"><table><thead><tr><th>Batch</th><th>Rail</th><th>Created</th><th class="num">Transfers</th><th class="num">Net total</th><th>Results so far</th><th>File</th></tr></thead><tbody>${view.batches.map(
        (b) =>
          html`<tr><td><code>${b.id}</code></td><td>${RAILS[b.rail]}</td><td>${when(b.createdAt)}</td><td class="num">${b.transfers}</td><td class="num">${amount(b.totalMinor, b.currency)}</td><td>${batchStates(b)}</td><td><a href="/console/payouts/batches/${encodeURIComponent(b.id)}/file" download>Download</a></td></tr>`,
      )}</tbody></table></div>`
}
</section>
<section class="panel" aria-labelledby="h-results">
<h2 id="h-results">Import the bank's results</h2>
<p class="wrap">A CSV file with the header <code>end_to_end_id,status,reason_code,reason_text,date</code>; status is accepted, rejected or returned. Every line is checked first: if one is wrong, nothing is applied. A file imported twice changes nothing the second time.</p>
${view.refusal ? refusalPanel(view.refusal) : ''}
<form method="post" action="/console/payouts/results#h-results" enctype="multipart/form-data">
${csrfField(csrf)}
<div class="field"><label for="f-results">Results file (CSV)</label><input id="f-results" name="results" type="file" accept=".csv,text/csv" required></div>
<button type="submit">Import results</button>
</form>
</section>`;
}
