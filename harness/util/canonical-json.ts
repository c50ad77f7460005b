/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(inCanonicalOrder(value) ? value : sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) {
      // Assigning "__proto__" would set the prototype: define it as an own key, as JSON.parse does.
      if (key === "__proto__")
        Object.defineProperty(sorted, key, { value: sortKeys(record[key]), enumerable: true, writable: true, configurable: true });
      else sorted[key] = sortKeys(record[key]);
    }
    return sorted;
  }
  return value;
}

/**
 * Whether `sortKeys` would give the same text as the value itself: plain
 * arrays and objects all the way down, keys already in sorted order, nothing
 * of their own that JSON.stringify would call. Most arguments are so, and
 * then need no copy.
 */
function inCanonicalOrder(value: unknown): boolean {
  if (!value || typeof value !== "object") return true;
  if (Object.hasOwn(value, "toJSON")) return false;
  if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype && value.every(inCanonicalOrder);
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false;
    if (!inCanonicalOrder(record[keys[i]!])) return false;
  }
  return true;
}
