/** Rows as aligned columns of plain text, the first row being the header. */
export function table(rows: (string | number | bigint)[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join('  '))
    .join('\n');
}
