/**
 * JSON for output: a bigint becomes a number while it is exact, else a decimal string,
 * so amounts in minor units never lose precision.
 */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? bigintToJson(v) : v), indent);
}

export function bigintToJson(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}
