import type { KeyFunction } from './keys';
import type { StreamSpec } from './tracker';
import type { Settings } from '../shared/settings';
import { captureStack } from './stack';
import { defaultKeyOf } from './keys';

/** Options every shape of track() accepts. */
export interface TrackOptions {
  /** `finality`, `import`, or a name of your own. Default `stream`. */
  label?: string;
  /** A notification's key (block hash); default: its `hash`, through `toHex()` if it has one. */
  key?: KeyFunction;
  /**
   * Follow taken notifications to their garbage collection: `true` (the default rate from
   * PINWATCH_GC_SAMPLE), `false`, or N to follow one in N.
   */
  gc?: boolean | number;
  /**
   * Give each stream its own shallow copy of plain-object notifications. Costs a copy per
   * delivery, and the consumer no longer sees the producer's object, but GC then speaks
   * for one stream alone, so attribution is exact. Class instances (polkadot types, Maps)
   * are not copied: objects of those kinds shared by several streams stay `shared`.
   */
  copy?: boolean;
  /** EventEmitter shape: the event whose listeners are streams. */
  event?: string | symbol;
}

const LABEL_PATTERN = /^[\w.:/-]{1,64}$/;

/** Checks options; the returned message names what was wrong and what is accepted. */
export function validateOptions(options: unknown): string | null {
  if (options === undefined) return null;
  if (options === null || typeof options !== 'object') {
    return `track() options must be an object, got ${options === null ? 'null' : typeof options}`;
  }
  const { label, key, gc, copy, event } = options as Record<string, unknown>;
  if (label !== undefined && (typeof label !== 'string' || !LABEL_PATTERN.test(label))) {
    const accepted = '1 to 64 letters, digits or . : / _ -';
    return `track() options.label must be ${accepted}, got ${String(label)}`;
  }
  if (key !== undefined && typeof key !== 'function') {
    return `track() options.key must be a function, got ${typeof key}`;
  }
  const gcOk = gc === undefined || typeof gc === 'boolean' || isSampleRate(gc);
  if (!gcOk) {
    return `track() options.gc must be a boolean or an integer from 1 to 65535, got ${String(gc)}`;
  }
  if (copy !== undefined && typeof copy !== 'boolean') {
    return `track() options.copy must be a boolean, got ${typeof copy}`;
  }
  if (event !== undefined && typeof event !== 'string' && typeof event !== 'symbol') {
    return `track() options.event must be a string or a symbol, got ${typeof event}`;
  }
  return null;
}

function isSampleRate(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** The stream spec for one new stream, with its creation stack captured here. */
export function specFor(options: TrackOptions, settings: Settings): StreamSpec {
  const sampleEvery =
    options.gc === false ? 0 : typeof options.gc === 'number' ? options.gc : settings.gcSampleEvery;
  return {
    label: options.label ?? 'stream',
    keyOf: options.key ?? defaultKeyOf,
    hold: sampleEvery === 0 ? 'none' : 'gc',
    sampleEvery: Math.max(1, sampleEvery),
    stack: captureStack(settings.stackDepth),
  };
}

/** A shallow copy of a plain object; anything else is passed as it is. */
export function copyIfPlain<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return { ...(value as object) } as T;
}
