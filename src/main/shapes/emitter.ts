import { EventEmitter } from 'node:events';
import type { ConsumerStream } from './consumer-stream';
import type { TrackOptions } from '../options';
import {
  closeConsumerStream,
  copyForConsumer,
  defineHidden,
  openConsumerStream,
  watchConsumer,
} from './consumer-stream';
import { MethodPatch } from './method-patch';

type EventName = string | symbol;
type Listener = (...args: unknown[]) => unknown;
/** Node's own convention (used by `once`): `listeners()` and `removeListener()` unwrap it. */
type WrappedListener = Listener & { listener: Listener };
type AddMethod = (this: unknown, event: EventName, listener: Listener) => unknown;
type RemoveMethod = (this: unknown, event: EventName, listener: Listener) => unknown;
type RemoveAllMethod = (this: unknown, event?: EventName) => unknown;
type RawListenersMethod = (this: unknown, event: EventName) => Listener[];

const EMITTER_STATE = Symbol.for('pinwatch.emitter');
const ADD_METHODS = ['on', 'addListener', 'prependListener'] as const;
const ONCE_METHODS: ReadonlyArray<[string, string]> = [
  ['once', 'on'],
  ['prependOnceListener', 'prependListener'],
];
const REMOVE_METHODS = ['removeListener', 'off'] as const;

/**
 * Wrappers of plain (not once) listeners. rawListeners() shows their listener instead, as
 * Node shows a plain listener itself: code that copies raw listeners to re-add them later
 * must not wrap a wrapper.
 */
const plainWrappers = new WeakSet<WrappedListener>();

/** The tracked events of one emitter and the live streams of their listeners. */
interface TrackedEvent {
  options: TrackOptions;
  live: Map<WrappedListener, ConsumerStream>;
}

/**
 * The patch of one emitter. Each listener added for a tracked event is wrapped (the
 * wrapper carries `listener` like Node's own once-wrappers, so `listeners()`,
 * `listenerCount(event, fn)`, `removeListener(event, fn)` and the `newListener` /
 * `removeListener` events all see the original function) and becomes a stream. Removal
 * is learned by checking which wrappers left `rawListeners()` after a remove call, so
 * every way of removing (off, removeAllListeners, events.once cleanup) closes streams.
 */
class EmitterTracking {
  readonly #emitter: EventEmitter;
  readonly #patch: MethodPatch;
  readonly events = new Map<EventName, TrackedEvent>();
  #rawListeners: RawListenersMethod = () => [];
  /** Nesting of remove calls: removeAllListeners calls removeListener once per listener. */
  #removing = 0;

  constructor(emitter: EventEmitter) {
    this.#emitter = emitter;
    this.#patch = new MethodPatch(emitter);
  }

  install(): void {
    const plainAdds = new Map<string, AddMethod>();
    for (const name of ADD_METHODS) plainAdds.set(name, this.#patch.original<AddMethod>(name));
    for (const name of ADD_METHODS) {
      const base = plainAdds.get(name) as AddMethod;
      this.#patch.install(name, this.#addMethod(base, false, base));
    }
    for (const [name, plain] of ONCE_METHODS) {
      const base = this.#patch.original<AddMethod>(name);
      this.#patch.install(name, this.#addMethod(base, true, plainAdds.get(plain) as AddMethod));
    }
    for (const name of REMOVE_METHODS) {
      this.#patch.install(name, this.#removeMethod(this.#patch.original<RemoveMethod>(name)));
    }
    const removeAll = this.#patch.original<RemoveAllMethod>('removeAllListeners');
    this.#patch.install('removeAllListeners', this.#removeAllMethod(removeAll));
    this.#rawListeners = this.#patch.original<RawListenersMethod>('rawListeners');
    const rawListeners = this.#rawListeners;
    this.#patch.install(
      'rawListeners',
      function trackedRawListeners(this: unknown, event: EventName): Listener[] {
        const listeners = rawListeners.call(this, event);
        for (let i = 0; i < listeners.length; i++) {
          const listener = listeners[i] as WrappedListener;
          if (plainWrappers.has(listener)) listeners[i] = listener.listener;
        }
        return listeners;
      },
    );
    defineHidden(this.#emitter, EMITTER_STATE, this);
  }

  /** Puts the emitter's methods back and closes the streams of listeners still attached. */
  uninstall(): void {
    this.#patch.restore();
    delete (this.#emitter as unknown as Record<symbol, unknown>)[EMITTER_STATE];
    for (const tracked of this.events.values()) {
      for (const consumer of tracked.live.values()) closeConsumerStream(consumer);
      tracked.live.clear();
    }
  }

  /**
   * `base` is the method being replaced, used when the call is not tracked; `plainAdd`
   * attaches a tracked wrapper (for once-methods the wrapper does the once part itself).
   */
  #addMethod(base: AddMethod, once: boolean, plainAdd: AddMethod): AddMethod {
    const emitter = this.#emitter;
    const events = this.events;
    const wrap = (event: EventName, listener: Listener, consumer: ConsumerStream) => {
      const copy = events.get(event)?.options.copy === true;
      return once
        ? this.#onceListener(event, listener, consumer, copy)
        : wrapListener(listener, consumer, copy);
    };
    return function trackedAdd(this: unknown, event: EventName, listener: Listener): unknown {
      const tracked = events.get(event);
      if (tracked === undefined || typeof listener !== 'function' || this !== emitter) {
        return base.call(this, event, listener);
      }
      const consumer = openConsumerStream(tracked.options);
      if (consumer === null) return base.call(this, event, listener);
      const wrapper = wrap(event, listener, consumer);
      tracked.live.set(wrapper, consumer);
      watchConsumer(consumer, wrapper);
      try {
        return plainAdd.call(this, event, wrapper);
      } catch (error) {
        // A throwing 'newListener' handler: the listener was not added.
        tracked.live.delete(wrapper);
        closeConsumerStream(consumer);
        throw error;
      }
    };
  }

  #removeMethod(base: RemoveMethod): RemoveMethod {
    const enter = (): void => {
      this.#removing++;
    };
    const leave = (event: EventName): void => {
      if (--this.#removing === 0) this.#closeRemoved(event);
    };
    return function trackedRemove(this: unknown, event: EventName, listener: Listener): unknown {
      enter();
      try {
        return base.call(this, event, listener);
      } finally {
        leave(event);
      }
    };
  }

  #removeAllMethod(base: RemoveAllMethod): RemoveAllMethod {
    const enter = (): void => {
      this.#removing++;
    };
    const leave = (event: EventName | undefined): void => {
      if (--this.#removing !== 0) return;
      if (event !== undefined) this.#closeRemoved(event);
      else for (const tracked of this.events.keys()) this.#closeRemoved(tracked);
    };
    return function trackedRemoveAll(this: unknown, ...args: [EventName?]): unknown {
      enter();
      try {
        return base.apply(this, args);
      } finally {
        leave(args[0]);
      }
    };
  }

  /** Closes the streams of wrappers that are no longer attached for `event`. */
  #closeRemoved(event: EventName): void {
    const tracked = this.events.get(event);
    if (tracked === undefined || tracked.live.size === 0) return;
    const attached = new Set(this.#rawListeners.call(this.#emitter, event));
    for (const [wrapper, consumer] of tracked.live) {
      if (attached.has(wrapper)) continue;
      tracked.live.delete(wrapper);
      closeConsumerStream(consumer);
    }
  }

  /**
   * Like Node's once-wrapper: removes itself, then calls the listener. The value is
   * recorded before the removal closes the stream, so the one notification is counted.
   */
  #onceListener(
    event: EventName,
    listener: Listener,
    consumer: ConsumerStream,
    copy: boolean,
  ): WrappedListener {
    const stream = consumer.stream;
    const emitter = this.#emitter;
    let fired = false;
    // Like Node's once-wrapper, it calls the listener on the emitter, whatever `this` is.
    const wrapper = function trackedOnce(...args: unknown[]): unknown {
      if (fired) return undefined;
      fired = true;
      if (copy && args.length > 0) args[0] = copyForConsumer(args[0]);
      stream.deliverConsumed(args[0]);
      emitter.removeListener(event, wrapper);
      closeConsumerStream(consumer);
      return listener.apply(emitter, args);
    } as WrappedListener;
    wrapper.listener = listener;
    return wrapper;
  }
}

/** A listener that records each call's first argument as a notification taken at once. */
function wrapListener(
  listener: Listener,
  consumer: ConsumerStream,
  copy: boolean,
): WrappedListener {
  const stream = consumer.stream;
  const wrapper = copy
    ? function trackedCopyingListener(this: unknown, ...args: unknown[]): unknown {
        if (args.length > 0) args[0] = copyForConsumer(args[0]);
        stream.deliverConsumed(args[0]);
        return listener.apply(this, args);
      }
    : function trackedListener(this: unknown, value?: unknown): unknown {
        stream.deliverConsumed(value);
        // The usual one-argument emit allocates nothing; others pass `arguments` through.
        if (arguments.length === 1) return listener.call(this, value);
        // eslint-disable-next-line prefer-rest-params
        return listener.apply(this, arguments as unknown as unknown[]);
      };
  (wrapper as WrappedListener).listener = listener;
  plainWrappers.add(wrapper as WrappedListener);
  return wrapper as WrappedListener;
}

/** Node EventEmitters and objects with the same contract (rawListeners included). */
export function isEventEmitter(source: unknown): source is EventEmitter {
  if (source instanceof EventEmitter) return true;
  if (typeof source !== 'object' || source === null) return false;
  const candidate = source as Record<string, unknown>;
  return ['on', 'once', 'removeListener', 'removeAllListeners', 'rawListeners', 'emit'].every(
    (name) => typeof candidate[name] === 'function',
  );
}

/**
 * Tracks the listeners of `options.event` on `emitter`, patched in place: the same object
 * comes back, so code that holds the emitter elsewhere is tracked too. Tracking the same
 * event again keeps the first options; listeners added before track() are not followed.
 */
export function trackEmitter<E extends EventEmitter>(
  emitter: E,
  event: EventName,
  options: TrackOptions,
): E {
  let tracking = trackingOf(emitter);
  if (tracking === undefined) {
    tracking = new EmitterTracking(emitter);
    tracking.install();
  }
  if (!tracking.events.has(event)) tracking.events.set(event, { options, live: new Map() });
  return emitter;
}

/** Undoes trackEmitter(); returns false when the emitter was not tracked. */
export function untrackEmitter(emitter: object): boolean {
  const tracking = trackingOf(emitter);
  if (tracking === undefined) return false;
  tracking.uninstall();
  return true;
}

function trackingOf(emitter: object): EmitterTracking | undefined {
  const own = Object.getOwnPropertyDescriptor(emitter, EMITTER_STATE);
  return own?.value instanceof EmitterTracking ? own.value : undefined;
}
