/** How a notification's key is found: the user's function, or the default rule. */
export type KeyFunction = (value: unknown) => unknown;

/**
 * The default key: the notification's `hash`, through `toHex()` where it has one (polkadot
 * types), hex for byte arrays, the string itself, or a number's decimal form. Getters that
 * throw and odd values give no key; they never break delivery.
 */
export function defaultKeyOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as { hash?: unknown }).hash;
}

/** Turns a key candidate into the string that is pinned, or '' for none. */
export function keyToString(key: unknown): string {
  switch (typeof key) {
    case 'string':
      return key;
    case 'number':
    case 'bigint':
      return String(key);
    case 'object': {
      if (key === null) return '';
      const toHex = (key as { toHex?: unknown }).toHex;
      if (typeof toHex === 'function') return String(toHex.call(key));
      if (key instanceof Uint8Array) return `0x${Buffer.from(key).toString('hex')}`;
      return '';
    }
    default:
      return '';
  }
}

/** Reads the key of `value` with `keyOf`, never throwing. */
export function readKey(keyOf: KeyFunction, value: unknown): string {
  try {
    return keyToString(keyOf(value));
  } catch {
    return '';
  }
}
