import { isCurrencyCode } from '../currencies.js';
import { isAppError } from '../errors.js';
import { checkMarketplaceUrl } from './check-marketplace-url.js';

/** The columns an import file may have, in the order the reader hands cells over. */
export const IMPORT_COLUMNS = [
  'product_id',
  'title',
  'price_minor',
  'currency',
  'url',
  'store_id',
  'store_name',
  'category_id',
  'category_path',
  'image_urls',
  'sales_volume',
  'positive_feedback_bp',
  'ship_from',
  'shipping_methods',
] as const;
const C = Object.fromEntries(IMPORT_COLUMNS.map((name, i) => [name, i])) as Record<
  (typeof IMPORT_COLUMNS)[number],
  number
>;

/**
 * A row that passed every check that needs no database. `values` is the products row in
 * `productSpec` column order, with the category id still to be filled in.
 */
export type CheckedProduct = {
  line: number;
  values: unknown[];
  storeId: string;
  storeName: string | undefined;
  categoryId: string | undefined;
  categoryPath: string[] | undefined;
  /** The path as written, e.g. "Home > Lamps": the key it is cached under. */
  categoryPathText: string | undefined;
};

const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const ID_RULE = 'must be 1–64 letters, digits or . _ : / -';
const DIGITS = /^\d+$/;
const COUNTRY = /^[A-Z]{2}$/;
const IMAGE_URL = /^https?:\/\/[^\s|]{1,2040}$/;
const SHIPPING_METHOD = /^[A-Z0-9_]{1,40}$/;
const CATEGORY_VALUE_INDEX = 2;

// The import checks rows by hand rather than with zod: at 50,000 rows/s the whole budget
// for reading, checking and writing a row is 20 µs, and a schema's result objects cost the
// garbage collector a quarter of it. The rules are the ones of docs/catalog-import.md.

/** Checks one row's cells (in IMPORT_COLUMNS order); returns the product or why it is refused. */
export function checkProductCells(
  line: number,
  cells: readonly unknown[],
  domains: readonly string[],
  now: string,
): CheckedProduct | string {
  for (let i = 0; i < cells.length; i += 1) {
    if (!isCellType(cells[i]))
      return `${IMPORT_COLUMNS[i]}: must be text, a number or a list of text`;
  }
  const productId = text(cells[C.product_id]);
  if (productId === undefined || !ID.test(productId)) return `product_id: ${ID_RULE}`;
  const title = text(cells[C.title]);
  if (title === undefined || title.length > 500) return 'title: must be 1–500 characters';
  const price = text(cells[C.price_minor]);
  if (price === undefined || !DIGITS.test(price) || price.length > 15)
    return 'price_minor: must be a whole number of minor units';
  const currency = text(cells[C.currency])?.toUpperCase();
  if (currency === undefined || !isCurrencyCode(currency))
    return 'currency: not an ISO 4217 currency code';
  const rawUrl = text(cells[C.url]);
  if (rawUrl === undefined || rawUrl.length > 2048)
    return 'url: must be a URL of at most 2048 characters';
  let url: string;
  try {
    url = checkMarketplaceUrl(rawUrl, domains);
  } catch (error) {
    if (isAppError(error)) return error.message;
    throw error;
  }
  const storeId = text(cells[C.store_id]);
  if (storeId === undefined || !ID.test(storeId)) return `store_id: ${ID_RULE}`;
  const storeName = text(cells[C.store_name]);
  if (storeName !== undefined && storeName.length > 200)
    return 'store_name: at most 200 characters';
  const categoryId = text(cells[C.category_id]);
  if (categoryId !== undefined && !ID.test(categoryId)) return `category_id: ${ID_RULE}`;
  const categoryPathText = text(cells[C.category_path]);
  let categoryPath: string[] | undefined;
  if (categoryPathText !== undefined) {
    categoryPath = categoryPathText.split('>').map((level) => level.trim());
    if (
      categoryPath.length > 6 ||
      categoryPath.some((level) => level.length === 0 || level.length > 100)
    ) {
      return 'category_path: 1–6 levels of 1–100 characters, separated by >';
    }
  } else if (categoryId === undefined) {
    return 'category_id: needs category_id or category_path';
  }
  const imageUrls = list(cells[C.image_urls]);
  if (imageUrls.length > 20 || !imageUrls.every((u) => IMAGE_URL.test(u)))
    return 'image_urls: up to 20 http(s) URLs separated by |';
  const sales = text(cells[C.sales_volume]) ?? '0';
  if (!DIGITS.test(sales) || sales.length > 12) return 'sales_volume: must be a whole number';
  const feedback = text(cells[C.positive_feedback_bp]);
  if (feedback !== undefined && (!DIGITS.test(feedback) || Number(feedback) > 10_000)) {
    return 'positive_feedback_bp: must be a whole number from 0 to 10000';
  }
  const shipFrom = text(cells[C.ship_from])?.toUpperCase();
  if (shipFrom !== undefined && !COUNTRY.test(shipFrom))
    return 'ship_from: must be a two-letter ISO 3166 country code';
  const shippingMethods = list(cells[C.shipping_methods]);
  if (shippingMethods.length > 20 || !shippingMethods.every((m) => SHIPPING_METHOD.test(m))) {
    return 'shipping_methods: up to 20 UPPER_SNAKE names separated by |';
  }
  const values = [
    productId,
    storeId,
    categoryId,
    title,
    BigInt(price),
    currency,
    url,
    JSON.stringify(imageUrls),
    BigInt(sales),
    feedback === undefined ? null : BigInt(feedback),
    shipFrom ?? null,
    JSON.stringify(shippingMethods),
    now,
    now,
  ];
  return { line, values, storeId, storeName, categoryId, categoryPath, categoryPathText };
}

/** Fills in the category id once it is known. */
export function setCategory(product: CheckedProduct, categoryId: string): void {
  product.values[CATEGORY_VALUE_INDEX] = categoryId;
}

function isCellType(cell: unknown): boolean {
  return (
    cell === undefined ||
    cell === null ||
    typeof cell === 'string' ||
    (typeof cell === 'number' && Number.isFinite(cell)) ||
    (Array.isArray(cell) && cell.every((v) => typeof v === 'string'))
  );
}

/** A cell as trimmed text: JSON numbers become digits, string arrays join with |; empty is absent. */
function text(cell: unknown): string | undefined {
  let value = cell;
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    value = value.join('|');
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function list(cell: unknown): string[] {
  const joined = text(cell);
  if (joined === undefined) return [];
  return joined
    .split('|')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
