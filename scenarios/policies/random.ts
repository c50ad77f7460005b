/**
 * A small seeded random number generator (mulberry32): the same seed always
 * gives the same sequence, on every platform, which is what makes fault
 * injection reproducible. A string key is hashed (FNV-1a) into the seed; a
 * number is used as the seed directly.
 */
export function seededRandom(key: string | number): () => number {
  let state = typeof key === "number" ? key >>> 0 : fnv1a(key);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** One element of a non-empty list, chosen with `random`. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
