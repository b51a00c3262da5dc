import type { BulkSpec } from '../db/bulk-upsert.js';

/** ledger_transfers as a bulk write, for the batch forms of `transfer`. */
export const transferSpec: BulkSpec = {
  table: 'ledger_transfers',
  columns: [
    { name: 'id', type: 'text' },
    { name: 'key', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'debit_account_id', type: 'text' },
    { name: 'credit_account_id', type: 'text' },
    { name: 'amount_minor', type: 'bigint' },
    { name: 'currency', type: 'text' },
    { name: 'pending_id', type: 'text' },
    { name: 'code', type: 'text' },
    { name: 'ref', type: 'text' },
    { name: 'explanation', type: 'text' },
    { name: 'created_at', type: 'text' },
  ],
  // Any collision (the key, or the pending transfer resolved meanwhile by a concurrent
  // runner) makes that row a no-op; only rows actually written move balances.
  conflict: [],
  update: 'nothing',
};
