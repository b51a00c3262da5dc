import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { captionLines, productPicture } from './product-picture.js';

describe('a product picture', () => {
  const product = { productId: '1005000000001', categoryId: 'cat-1', title: 'Cosy Red Lamp' };

  it('is the same every time for the same product, and another for another product', () => {
    expect(productPicture(product)).toBe(productPicture(product));
    expect(productPicture({ ...product, productId: '1005000000002' })).not.toBe(
      productPicture(product),
    );
  });

  it('is well-formed XML (libxml2) whose caption cannot carry markup', async () => {
    const svg = productPicture({
      ...product,
      title: '<script>alert(1)</script> & "quotes" \u0000 \uD800',
    });
    expect(svg).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg.includes('\u0000') || svg.includes('\uD800')).toBe(false);
    const parsed = await validateXML({
      xml: [{ fileName: 'picture.svg', contents: svg }],
      normalization: 'format',
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.valid).toBe(true);
  });

  it('captions with the first words of the title, in two lines at most', () => {
    expect(captionLines('Cosy Red Lamp')).toEqual(['Cosy Red Lamp']);
    expect(captionLines('Handmade Ceramic Coffee Mug With Lid And Spoon')).toEqual([
      'Handmade Ceramic',
      'Coffee Mug With',
    ]);
    expect(captionLines('Supercalifragilisticexpialidocious')).toEqual(['Supercalifragil…']);
    expect(captionLines('   ')).toEqual([]);
  });
});
