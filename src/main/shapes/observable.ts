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
import { hookUnsubscribe } from './unsubscribe-hook';

type Subscribe = (this: unknown, ...args: unknown[]) => unknown;

/** Anything with the observable contract: `subscribe(observer | next, error?, complete?)`. */
export interface Subscribable {
  subscribe: Subscribe;
}

interface PartialObserver {
  next?: (value: unknown) => unknown;
  error?: (error: unknown) => unknown;
  complete?: () => unknown;
}

/** An RxJS Subscriber (operators pass one): an observer that is also a subscription. */
interface SubscriberLike extends PartialObserver {
  add(teardown: unknown): void;
  unsubscribe(): void;
}

const OBSERVABLE_STATE = Symbol.for('pinwatch.observable');

/**
 * Stands between the source and one subscriber: records each value, then hands it on.
 * The subscriber's handlers are looked up at each call, as RxJS does. A subscriber's own
 * exceptions pass through untouched, so the source handles them as it would without us.
 */
class ObserverBridge {
  readonly #target: PartialObserver;
  readonly #consumer: ConsumerStream;
  readonly #copy: boolean;

  constructor(target: PartialObserver, consumer: ConsumerStream, copy: boolean) {
    this.#target = target;
    this.#consumer = consumer;
    this.#copy = copy;
  }

  next(value: unknown): void {
    const delivered = this.#copy ? copyForConsumer(value) : value;
    this.#consumer.stream.deliverConsumed(delivered);
    this.#target.next?.(delivered);
  }

  error(error: unknown): void {
    closeConsumerStream(this.#consumer);
    const target = this.#target;
    // Without a handler the error stays unhandled, as RxJS does for such subscribers.
    if (!target.error) throw error;
    target.error(error);
  }

  complete(): void {
    closeConsumerStream(this.#consumer);
    this.#target.complete?.();
  }
}

export function isSubscribable(source: unknown): source is Subscribable {
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as Subscribable).subscribe === 'function'
  );
}

function isSubscriberLike(value: unknown): value is SubscriberLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.next === 'function' &&
    typeof candidate.add === 'function' &&
    typeof candidate.unsubscribe === 'function'
  );
}

function functionOrUndefined<F>(value: unknown): F | undefined {
  return typeof value === 'function' ? (value as F) : undefined;
}

/**
 * One subscribe call: a new stream whose creation stack is the caller's. The call keeps
 * its form (functions stay functions, an observer stays an object) so observables of any
 * library accept it.
 */
function subscribeTracked(
  subscribe: Subscribe,
  self: unknown,
  args: unknown[],
  options: TrackOptions,
): unknown {
  const consumer = openConsumerStream(options);
  if (consumer === null) return subscribe.apply(self, args);
  const first = args[0];
  const positional = typeof first === 'function' || (first == null && args.length > 1);
  const target: PartialObserver = positional
    ? {
        next: functionOrUndefined(first),
        error: functionOrUndefined(args[1]),
        complete: functionOrUndefined(args[2]),
      }
    : ((first ?? {}) as PartialObserver);
  const bridge = new ObserverBridge(target, consumer, options.copy === true);
  watchConsumer(consumer, bridge);
  const callArgs = positional
    ? [
        (value: unknown) => bridge.next(value),
        (error: unknown) => bridge.error(error),
        () => bridge.complete(),
        ...args.slice(3),
      ]
    : [bridge, ...args.slice(1)];

  let result: unknown;
  try {
    result = subscribe.apply(self, callArgs);
  } catch (error) {
    closeConsumerStream(consumer);
    throw error;
  }
  if (isSubscriberLike(first) && isSubscriberLike(result) && result !== first) {
    // RxJS returns the subscriber it was given and ties the teardown to it: unsubscribing
    // the downstream subscriber must still end our inner subscription.
    first.add(result);
    hookUnsubscribe(result, consumer);
    return first;
  }
  return hookUnsubscribe(result, consumer);
}

/**
 * Tracks every subscription to `source`. Its `subscribe` is patched in place (the same
 * object comes back, with `pipe`, `next` for Subjects and all its state where they were);
 * a frozen source gets a delegate that inherits everything but `subscribe` instead.
 */
export function trackObservable<S extends Subscribable>(source: S, options: TrackOptions): S {
  if (Object.prototype.hasOwnProperty.call(source, OBSERVABLE_STATE)) return source;
  const subscribe = source.subscribe;
  if (!Object.isExtensible(source)) {
    return Object.create(source, {
      subscribe: {
        value: (...args: unknown[]) => subscribeTracked(subscribe, source, args, options),
        writable: true,
        configurable: true,
      },
    }) as S;
  }
  const patch = new MethodPatch(source);
  patch.install('subscribe', function trackedSubscribe(this: unknown, ...args: unknown[]) {
    return subscribeTracked(subscribe, this, args, options);
  });
  defineHidden(source, OBSERVABLE_STATE, patch);
  return source;
}

/** Undoes trackObservable(); returns false when `source` was not patched by it. */
export function untrackObservable(source: object): boolean {
  const own = Object.getOwnPropertyDescriptor(source, OBSERVABLE_STATE);
  if (!(own?.value instanceof MethodPatch)) return false;
  own.value.restore();
  delete (source as Record<symbol, unknown>)[OBSERVABLE_STATE];
  return true;
}
