import type { ConsumerStream } from './consumer-stream';
import type { TrackOptions } from '../options';
import {
  closeConsumerStream,
  copyForConsumer,
  openConsumerStream,
  watchConsumer,
} from './consumer-stream';
import { hookUnsubscribe } from './unsubscribe-hook';

type AnyFunction = (...args: unknown[]) => unknown;
type Thenable = { then: (onValue: AnyFunction, onError: AnyFunction) => unknown };

/** Tracked subscribe functions (our proxies) and the functions they stand for. */
const originals = new WeakMap<AnyFunction, AnyFunction>();

/**
 * Tracks a callback subscription, `subscribe(...args, callback) -> unsubscribe`: each call
 * with a function argument is a stream (the last function argument is the callback, as in
 * `api.query.system.account(address, callback)`). The unsubscribe may be a function, an
 * object with `unsubscribe()`, or a promise of either (`api.rpc.chain.subscribeNewHeads`).
 * The result is a proxy of `subscribe`: name, length and properties such as `.raw` stay.
 */
export function trackCallbackSubscription<F extends AnyFunction>(
  subscribe: F,
  options: TrackOptions,
): F {
  if (originals.has(subscribe)) return subscribe;
  const proxy = new Proxy(subscribe, {
    apply(target, thisArg, args: unknown[]) {
      return subscribeWithCallback(target, thisArg, args, options);
    },
  });
  originals.set(proxy, subscribe);
  return proxy;
}

/** The function a tracked subscription stands for, or undefined if `source` is not one. */
export function untrackCallbackSubscription(source: unknown): AnyFunction | undefined {
  return typeof source === 'function' ? originals.get(source as AnyFunction) : undefined;
}

function subscribeWithCallback(
  subscribe: AnyFunction,
  thisArg: unknown,
  args: unknown[],
  options: TrackOptions,
): unknown {
  const index = lastFunctionIndex(args);
  const consumer = index < 0 ? null : openConsumerStream(options);
  if (consumer === null) return Reflect.apply(subscribe, thisArg, args);
  const callback = wrapCallback(args[index] as AnyFunction, consumer, options.copy === true);
  // The source keeps the callback while it can deliver: when it lets go, the stream ends.
  watchConsumer(consumer, callback);
  args[index] = callback;

  let result: unknown;
  try {
    result = Reflect.apply(subscribe, thisArg, args);
  } catch (error) {
    closeConsumerStream(consumer);
    throw error;
  }
  if (!isThenable(result)) return hookUnsubscribe(result, consumer);
  return result.then(
    (unsubscribe: unknown) => hookUnsubscribe(unsubscribe, consumer),
    (error: unknown) => {
      closeConsumerStream(consumer);
      throw error;
    },
  );
}

function wrapCallback(callback: AnyFunction, consumer: ConsumerStream, copy: boolean) {
  const stream = consumer.stream;
  if (copy) {
    return function trackedCopyingCallback(this: unknown, ...args: unknown[]): unknown {
      if (args.length > 0) args[0] = copyForConsumer(args[0]);
      stream.deliverConsumed(args[0]);
      return callback.apply(this, args);
    };
  }
  return function trackedCallback(this: unknown, ...args: unknown[]): unknown {
    stream.deliverConsumed(args[0]);
    return callback.apply(this, args);
  };
}

function lastFunctionIndex(args: unknown[]): number {
  for (let i = args.length - 1; i >= 0; i--) if (typeof args[i] === 'function') return i;
  return -1;
}

function isThenable(value: unknown): value is Thenable {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as Thenable).then === 'function'
  );
}
