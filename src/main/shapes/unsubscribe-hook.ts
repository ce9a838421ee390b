import type { ConsumerStream } from './consumer-stream';
import { closeConsumerStream, defineHidden } from './consumer-stream';

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Makes whatever a subscribe call returned close the stream when it is used, keeping its
 * shape: an RxJS-like Subscription gets a teardown (`add`), an object with `unsubscribe`
 * gets that method wrapped in place, an unsubscribe function comes back as a proxy of
 * itself (same name, length and properties). Anything else is returned untouched.
 */
export function hookUnsubscribe(result: unknown, consumer: ConsumerStream): unknown {
  try {
    if (typeof result === 'function') return closingProxy(result as AnyFunction, consumer);
    if (typeof result !== 'object' || result === null) return result;
    const subscription = result as { add?: unknown; unsubscribe?: unknown };
    if (typeof subscription.unsubscribe !== 'function') return result;
    if (typeof subscription.add === 'function') {
      // RxJS runs the teardown at once when the subscription is already closed.
      (subscription.add as AnyFunction)(() => closeConsumerStream(consumer));
      return result;
    }
    wrapUnsubscribeMethod(subscription, subscription.unsubscribe as AnyFunction, consumer);
  } catch {
    // A frozen or exotic subscription: the stream still closes on complete, error or GC.
  }
  return result;
}

function closingProxy<F extends AnyFunction>(unsubscribe: F, consumer: ConsumerStream): F {
  return new Proxy(unsubscribe, {
    apply(target, thisArg, args) {
      closeConsumerStream(consumer);
      return Reflect.apply(target, thisArg, args);
    },
  });
}

function wrapUnsubscribeMethod(
  subscription: object,
  unsubscribe: AnyFunction,
  consumer: ConsumerStream,
): void {
  const wrapped = function unsubscribeTracked(this: unknown, ...args: unknown[]): unknown {
    closeConsumerStream(consumer);
    return unsubscribe.apply(this, args);
  };
  const own = Object.getOwnPropertyDescriptor(subscription, 'unsubscribe');
  // An own property keeps its attributes (an object literal's stays enumerable).
  if (own !== undefined && 'value' in own) {
    Object.defineProperty(subscription, 'unsubscribe', { ...own, value: wrapped });
  } else {
    defineHidden(subscription, 'unsubscribe', wrapped);
  }
}
