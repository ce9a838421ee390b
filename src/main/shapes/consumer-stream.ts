import type { TrackOptions } from '../options';
import type { StreamHandle } from '../stream-handle';
import type { Tracker } from '../tracker';
import { copyIfPlain, specFor } from '../options';
import { currentAgent } from '../state';

/** One consumer's stream and the tracker that opened it (to stop watching it on close). */
export interface ConsumerStream {
  readonly stream: StreamHandle;
  readonly tracker: Tracker;
}

/**
 * Opens a stream for a consumer that is being added now, with the creation stack captured
 * here, so the stack names the caller that added the listener or subscribed. Returns null
 * when tracking is off (then the shape passes the call straight through). The agent is
 * looked up on every open, so a source tracked before stop() follows a later start().
 */
export function openConsumerStream(options: TrackOptions): ConsumerStream | null {
  const agent = currentAgent();
  if (agent === null) return null;
  const stream = agent.tracker.openStream(specFor(options, agent.settings));
  return { stream, tracker: agent.tracker };
}

/**
 * Reports the stream closed by GC if `handle` is collected first. The handle must be what
 * the source keeps while it can still deliver (a wrapped listener, an observer), not what
 * the user keeps: a user may drop an unsubscribe function while values keep flowing.
 */
export function watchConsumer(consumer: ConsumerStream, handle: object): void {
  consumer.tracker.watchConsumerHandle(handle, consumer.stream);
}

/** Closes the stream once; later calls do nothing. */
export function closeConsumerStream(consumer: ConsumerStream): void {
  if (consumer.stream.closed) return;
  consumer.stream.close();
  consumer.tracker.unwatchConsumerHandle(consumer.stream);
}

/**
 * A shallow copy for `{ copy: true }`. Proxies and getters may throw while copied: the
 * consumer then receives the original value, as it would without the agent.
 */
export function copyForConsumer<T>(value: T): T {
  try {
    return copyIfPlain(value);
  } catch {
    return value;
  }
}

/** Defines a hidden, restorable own property (patched methods and markers). */
export function defineHidden(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
