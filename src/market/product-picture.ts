import { createHash } from 'node:crypto';
import { escapeHtml } from '../web/html.js';

const SIZE = 400;
/** Control characters (most of which XML 1.0 forbids), non-characters and lone surrogates. */
const NOT_XML = /\p{Cc}|[\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;
const MAX_LINE_CHARS = 16;

function hashBytes(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The shapes a category may draw, centred in the picture. */
const SHAPES: ((fill: string) => string)[] = [
  (fill) => `<circle cx="200" cy="165" r="95" fill="${fill}"/>`,
  (fill) => `<rect x="110" y="75" width="180" height="180" rx="28" fill="${fill}"/>`,
  (fill) => `<polygon points="200,60 305,250 95,250" fill="${fill}"/>`,
  (fill) => `<polygon points="200,60 300,165 200,270 100,165" fill="${fill}"/>`,
  (fill) => `<polygon points="200,65 290,115 290,215 200,265 110,215 110,115" fill="${fill}"/>`,
  (fill) =>
    `<rect x="95" y="120" width="210" height="90" rx="45" fill="${fill}"/><circle cx="200" cy="165" r="30" fill="#ffffff" fill-opacity="0.5"/>`,
];

/** The first words of a title, in at most two lines of about 16 characters. */
export function captionLines(title: string): string[] {
  const words = title.replace(NOT_XML, ' ').trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const whole of words) {
    const word = whole.length > MAX_LINE_CHARS ? `${whole.slice(0, MAX_LINE_CHARS - 1)}…` : whole;
    if (!line) line = word;
    else if (line.length + 1 + word.length <= MAX_LINE_CHARS) line += ` ${word}`;
    else {
      lines.push(line);
      if (lines.length === 2) return lines;
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A product's picture, drawn here rather than fetched: the background's hue comes from a
 * hash of the product id, the shape and its hue from the category's, and the caption is
 * the title's first words. The same product always gets the same picture.
 */
export function productPicture(product: {
  productId: string;
  categoryId: string;
  title: string;
}): string {
  const own = hashBytes(product.productId);
  const category = hashBytes(product.categoryId);
  const hue = Math.round(((own[0] as number) * 360) / 256);
  const shapeHue = Math.round(((category[0] as number) * 360) / 256);
  const shape = SHAPES[(category[1] as number) % SHAPES.length] as (fill: string) => string;
  const tilt = ((own[1] as number) % 31) - 15;
  const caption = captionLines(product.title);
  const text = caption
    .map(
      (line, i) =>
        `<text x="200" y="${caption.length === 1 ? 345 : 328 + i * 34}" text-anchor="middle" font-family="system-ui, sans-serif" font-size="28" font-weight="600" fill="#1c2430">${escapeHtml(line)}</text>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}" width="${SIZE}" height="${SIZE}" role="img">
<title>${escapeHtml(caption.join(' '))}</title>
<rect width="${SIZE}" height="${SIZE}" fill="hsl(${hue}, 55%, 88%)"/>
<circle cx="${60 + ((own[2] as number) % 280)}" cy="${40 + ((own[3] as number) % 80)}" r="${30 + ((own[4] as number) % 40)}" fill="hsl(${(hue + 40) % 360}, 60%, 80%)"/>
<g transform="rotate(${tilt} 200 165)">${shape(`hsl(${shapeHue}, 62%, 46%)`)}</g>
<rect x="20" y="${caption.length === 1 ? 305 : 290}" width="360" height="${caption.length === 1 ? 60 : 92}" rx="14" fill="#ffffff" fill-opacity="0.85"/>
${text}
</svg>
`;
}
