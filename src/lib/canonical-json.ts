/** JSON with object keys sorted at every level: equal content gives equal text (for hashing). */
export function canonicalJson(value: unknown): string {
  // Written out rather than JSON.stringify of a sorted copy: no copy of every object.
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalItem(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of sortedKeys(record)) {
    const item = record[key];
    // As JSON.stringify: members that are undefined or functions are left out.
    if (item === undefined || typeof item === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** An array element: undefined and functions become null there, as in JSON.stringify. */
function canonicalItem(item: unknown): string {
  return item === undefined || typeof item === 'function' ? 'null' : canonicalJson(item);
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * Keys in sorted order — and, as the first version (JSON of a sorted copy) wrote them,
 * array-index keys ("0", "17") first in numeric order, as JavaScript orders an object's
 * own keys. Stored event hashes depend on this text.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  const isIndex = (key: string) => ARRAY_INDEX.test(key) && Number(key) < 4_294_967_295;
  const indexes = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return indexes.length === 0 ? keys : [...indexes, ...keys.filter((key) => !isIndex(key))];
}
