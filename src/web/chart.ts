import { type Html, html, raw } from './html.js';

/**
 * A daily bar chart as inline SVG, drawn on the server: no script, readable by screen
 * readers through its title and the table it summarises.
 */
export function dailyBars(title: string, days: readonly { day: string; value: number }[]): Html {
  const width = 720;
  const height = 160;
  const top = 10;
  const bottom = 22;
  const max = Math.max(1, ...days.map((d) => d.value));
  const step = width / Math.max(1, days.length);
  const bars = days
    .map((d, i) => {
      const h = Math.round(((height - top - bottom) * d.value) / max);
      const x = (i * step + step * 0.15).toFixed(1);
      return `<rect class="bar" x="${x}" y="${height - bottom - h}" width="${(step * 0.7).toFixed(1)}" height="${h}"><title>${d.day}: ${d.value}</title></rect>`;
    })
    .join('');
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">${raw(bars)}<text x="0" y="${height - 6}">${first}</text><text x="${width}" y="${height - 6}" text-anchor="end">${last}</text><text x="${width}" y="12" text-anchor="end">max ${max}</text></svg>`;
}
