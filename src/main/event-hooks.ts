import events, { EventEmitter } from 'node:events';
import { syncBuiltinESMExports } from 'node:module';
import type { EventSpec } from './preload-config';
import { track } from './track';

const LISTENER_METHODS = [
  'on',
  'addListener',
  'once',
  'prependListener',
  'prependOnceListener',
] as const;

type ListenerMethod = (this: EventEmitter, ...args: unknown[]) => unknown;

/** Set while a tracked call adds its own listeners (events.on, a tracked emitter's method). */
let bypass = false;

/**
 * PINWATCH_EVENTS: the zero-config way in. Every emitter that gets a listener for a named
 * event is tracked for that event (each listener a stream), and every `events.on(emitter,
 * name)` iterator for it is tracked as a stream. Nothing is patched when no event is named.
 */
export function installEventHooks(specs: readonly EventSpec[]): void {
  if (specs.length === 0) return;
  const labels = new Map(specs.map((spec) => [spec.event, spec.label]));
  patchListenerMethods(labels);
  patchEventsOn(labels);
}

function patchListenerMethods(labels: Map<string, string>): void {
  /** The emitters already tracked, per event, and what track() gave back for them. */
  const tracked = new WeakMap<EventEmitter, Map<string, EventEmitter>>();
  const proto = EventEmitter.prototype as unknown as Record<string, ListenerMethod>;
  for (const method of LISTENER_METHODS) {
    const original = proto[method];
    const patched: ListenerMethod = function (this: EventEmitter, ...args: unknown[]) {
      const event = args[0];
      const label = typeof event === 'string' ? labels.get(event) : undefined;
      if (label === undefined || bypass) return Reflect.apply(original, this, args);
      let byEvent = tracked.get(this);
      if (byEvent === undefined) tracked.set(this, (byEvent = new Map()));
      // Once tracked, the emitter's own patched methods wrap each listener and then call
      // this prototype method: from then on it only has to add what it is given.
      if (byEvent.has(event as string)) return Reflect.apply(original, this, args);
      const receiver = track(this, { event: event as string, label });
      byEvent.set(event as string, receiver);
      const forward = (receiver as unknown as Record<string, ListenerMethod>)[method];
      if (receiver === this && forward === patched) return Reflect.apply(original, this, args);
      // The tracked emitter adds the listener (and reaches the original method once).
      bypass = true;
      try {
        Reflect.apply(forward, receiver, args);
      } finally {
        bypass = false;
      }
      return this;
    };
    Object.defineProperty(patched, 'name', { value: original.name });
    proto[method] = patched;
  }
}

function patchEventsOn(labels: Map<string, string>): void {
  const original = events.on;
  const patched = function (this: unknown, ...args: Parameters<typeof events.on>) {
    // The iterator's own listener is the same stream: it is not tracked a second time.
    bypass = true;
    let iterator: ReturnType<typeof events.on>;
    try {
      iterator = Reflect.apply(original, this, args) as ReturnType<typeof events.on>;
    } finally {
      bypass = false;
    }
    const event = args[1];
    const label = typeof event === 'string' ? labels.get(event) : undefined;
    return label === undefined ? iterator : track(iterator, { label });
  };
  Object.defineProperty(patched, 'name', { value: original.name });
  events.on = patched as typeof events.on;
  // `import { on } from 'node:events'` reads the ES module copy of the exports.
  syncBuiltinESMExports();
}
