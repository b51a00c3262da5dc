import { randomFillSync } from 'node:crypto';

// Crockford's base 32, lower case: ids sort as text in the order they were made.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolAt = POOL_BYTES;
let lastMs = -1;
const lastRandom = new Uint8Array(16); // 16 base-32 digits = 80 bits

/**
 * A ULID (48-bit milliseconds + 80 random bits) as 26 lower-case characters, monotonic within
 * a millisecond (the random part counts up), drawn from a pooled random buffer: the `ulid`
 * package asks the kernel for one byte per character, which cost the redirect a third of
 * its time.
 */
export function ulid(ms: number): string {
  if (ms > lastMs) {
    lastMs = ms;
    if (poolAt + 16 > POOL_BYTES) {
      randomFillSync(pool);
      poolAt = 0;
    }
    for (let i = 0; i < 16; i += 1) lastRandom[i] = (pool[poolAt++] as number) & 31;
  } else {
    // Same (or an earlier) millisecond: keep the time, count the random part up by one.
    let i = 15;
    while (i >= 0 && lastRandom[i] === 31) {
      lastRandom[i] = 0;
      i -= 1;
    }
    if (i < 0) throw new Error('ulid: random part overflowed within one millisecond');
    lastRandom[i] = (lastRandom[i] as number) + 1;
  }
  const time = ulidTimePrefix(lastMs);
  let random = '';
  for (let i = 0; i < 16; i += 1) random += ALPHABET[lastRandom[i] as number];
  return time + random;
}

/** The first ten characters of every ULID made at `ms`: ids from `ms` on sort at or after it. */
export function ulidTimePrefix(ms: number): string {
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i += 1) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}
