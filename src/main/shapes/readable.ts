import { Readable } from 'node:stream';
import type { ConsumerStream } from './consumer-stream';
import type { TrackOptions } from '../options';
import {
  closeConsumerStream,
  copyForConsumer,
  defineHidden,
  openConsumerStream,
} from './consumer-stream';
import { MethodPatch } from './method-patch';
import { SlotQueue } from './slot-queue';

type StreamMethod = (this: unknown, ...args: unknown[]) => unknown;

const READABLE_STATE = Symbol.for('pinwatch.readable');

/** A stream and the slots of the values waiting in its Readable's buffer. */
interface QueuedStream {
  consumer: ConsumerStream;
  queue: SlotQueue;
}

/**
 * A Readable collected unclosed takes its buffer with it: the queued values are released
 * and the stream is reported closed by GC (a dropped receiver). Kept apart from the
 * tracker's own registry because queued values must not be left behind as a leak.
 */
const dropped = new FinalizationRegistry<QueuedStream>((held) => endQueuedStream(held, true));

function endQueuedStream(held: QueuedStream, byGc: boolean): void {
  const { consumer, queue } = held;
  // What is still buffered will never be read: the Readable dropped it.
  while (queue.size > 0) consumer.stream.release(queue.shift());
  if (byGc) consumer.stream.close(true);
  else closeConsumerStream(consumer);
}

/**
 * One object-mode Readable as one stream with a real queue: a value is delivered when it
 * enters the Readable's buffer (`push`, `unshift`) and taken when it leaves it (`read`,
 * which flowing mode, `pipe` and the async iterator all go through). A value that Node
 * hands straight to 'data' listeners, never buffered, is delivered and taken at once.
 * So a consumer that does not keep up shows as `slow`, and one that keeps what it read
 * as `held`.
 */
class ReadableTracking {
  readonly #readable: Readable;
  readonly #held: QueuedStream;
  readonly #patch: MethodPatch;
  readonly #copy: boolean;

  constructor(readable: Readable, consumer: ConsumerStream, copy: boolean) {
    this.#readable = readable;
    this.#held = { consumer, queue: new SlotQueue() };
    this.#patch = new MethodPatch(readable);
    this.#copy = copy;
    // Values buffered before track() are not followed; placeholders keep the order.
    for (let i = 0; i < readable.readableLength; i++) this.#held.queue.push(0);
  }

  install(): void {
    this.#patch.install('push', this.#addMethod(this.#patch.original('push'), false));
    this.#patch.install('unshift', this.#addMethod(this.#patch.original('unshift'), true));
    this.#patch.install('read', this.#readMethod(this.#patch.original('read')));
    defineHidden(this.#readable, READABLE_STATE, this);
    // 'end' covers Readables with autoDestroy off, which may never emit 'close'.
    this.#readable.on('end', this.#finish);
    this.#readable.on('close', this.#finish);
    dropped.register(this.#readable, this.#held, this.#held);
  }

  uninstall(): void {
    this.#patch.restore();
    delete (this.#readable as unknown as Record<symbol, unknown>)[READABLE_STATE];
    this.#readable.removeListener('end', this.#finish);
    this.#readable.removeListener('close', this.#finish);
    this.#finish();
  }

  readonly #finish = (): void => {
    dropped.unregister(this.#held);
    endQueuedStream(this.#held, false);
  };

  #addMethod(base: StreamMethod, front: boolean): StreamMethod {
    const readable = this.#readable;
    const { consumer, queue } = this.#held;
    const copy = this.#copy;
    return function trackedAdd(this: unknown, ...args: unknown[]): unknown {
      if (this !== readable || args[0] === null || consumer.stream.closed) {
        return base.apply(this, args);
      }
      if (copy) args[0] = copyForConsumer(args[0]);
      const before = readable.readableLength;
      const accepted = base.apply(this, args);
      if (readable.readableLength > before) {
        const slot = consumer.stream.deliver(args[0]);
        if (front) queue.unshift(slot);
        else queue.push(slot);
      } else if (readable.readableFlowing === true && !readable.destroyed && !readable.errored) {
        // Flowing with an empty buffer: Node emitted 'data' without buffering the value.
        consumer.stream.deliverConsumed(args[0]);
      }
      return accepted;
    };
  }

  #readMethod(base: StreamMethod): StreamMethod {
    const readable = this.#readable;
    const { consumer, queue } = this.#held;
    return function trackedRead(this: unknown, ...args: unknown[]): unknown {
      const value = base.apply(this, args);
      if (value !== null && this === readable && queue.size > 0) {
        consumer.stream.consume(queue.shift(), value);
      }
      return value;
    };
  }
}

/** Any Node Readable (Duplex and Transform included). */
export function isReadableStream(source: unknown): source is Readable {
  return source instanceof Readable;
}

/**
 * Tracks an object-mode Readable in place: the stream opens now, with this call as its
 * creation site, and ends when the Readable ends, closes or is destroyed (so `break` out
 * of `for await` closes it too). A Readable is read once, so it is one stream, not one
 * per iteration. Tracking it again returns it unchanged.
 */
export function trackReadable<R extends Readable>(readable: R, options: TrackOptions): R {
  if (Object.prototype.hasOwnProperty.call(readable, READABLE_STATE)) return readable;
  if (readable.destroyed || readable.readableEnded) return readable;
  const consumer = openConsumerStream(options);
  if (consumer === null) return readable;
  new ReadableTracking(readable, consumer, options.copy === true).install();
  return readable;
}

/** Undoes trackReadable(); returns false when `source` was not patched by it. */
export function untrackReadable(source: object): boolean {
  const own = Object.getOwnPropertyDescriptor(source, READABLE_STATE);
  if (!(own?.value instanceof ReadableTracking)) return false;
  own.value.uninstall();
  return true;
}
