import type { Agent } from '../agent';
import type { TrackOptions } from '../options';
import type { StreamHandle } from '../stream-handle';
import { copyIfPlain, specFor } from '../options';

/**
 * Wraps an async iterator: every value it yields is a notification delivered and taken
 * at once; the end of the iteration (done, return(), throw(), or a rejection) closes the
 * stream, and an iterator dropped half-way is reported closed by GC.
 */
class TrackedIterator<T> implements AsyncIterableIterator<T> {
  readonly #inner: AsyncIterator<T>;
  readonly #stream: StreamHandle;
  readonly #agent: Agent;
  readonly #copy: boolean;

  constructor(inner: AsyncIterator<T>, stream: StreamHandle, agent: Agent, copy: boolean) {
    this.#inner = inner;
    this.#stream = stream;
    this.#agent = agent;
    this.#copy = copy;
    agent.tracker.watchConsumerHandle(this, stream);
  }

  next(...args: [] | [unknown]): Promise<IteratorResult<T>> {
    // `for await` calls next() with no argument; that path allocates no array.
    const pending = args.length === 0 ? this.#inner.next() : this.#inner.next(...args);
    return Promise.resolve(pending).then(this.#onResult, this.#onError);
  }

  /** Bound once, so a notification costs no closure. */
  readonly #onResult = (result: IteratorResult<T>): IteratorResult<T> => this.#observe(result);

  readonly #onError = (error: unknown): never => {
    this.#close();
    throw error;
  };

  return(value?: unknown): Promise<IteratorResult<T>> {
    this.#close();
    const inner = this.#inner;
    if (typeof inner.return === 'function') return Promise.resolve(inner.return(value));
    return Promise.resolve({ done: true, value: value as T });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.#close();
    const inner = this.#inner;
    if (typeof inner.throw === 'function') return Promise.resolve(inner.throw(error));
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #observe(result: IteratorResult<T>): IteratorResult<T> {
    try {
      if (result === null || typeof result !== 'object') return result;
      if (result.done) {
        this.#close();
        return result;
      }
      if (!this.#copy) {
        this.#stream.deliverConsumed(result.value);
        return result;
      }
      const value = copyIfPlain(result.value);
      this.#stream.deliverConsumed(value);
      return { done: false, value };
    } catch (error) {
      this.#agent.log.debug('async iterator tracking failed', { error });
      return result;
    }
  }

  #close(): void {
    if (this.#stream.closed) return;
    this.#stream.close();
    this.#agent.tracker.unwatchConsumerHandle(this.#stream);
  }
}

export function isAsyncIterator(source: unknown): source is AsyncIterableIterator<unknown> {
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as AsyncIterator<unknown>).next === 'function' &&
    typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

export function isAsyncIterable(source: unknown): source is AsyncIterable<unknown> {
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

/** An async iterator: one stream, opened now. */
export function trackAsyncIterator<T>(
  source: AsyncIterator<T>,
  options: TrackOptions,
  agent: Agent,
): AsyncIterableIterator<T> {
  const stream = agent.tracker.openStream(specFor(options, agent.settings));
  return new TrackedIterator(source, stream, agent, options.copy === true);
}

/** A re-iterable source: each iteration is a stream, created where the iteration starts. */
export function trackAsyncIterable<T>(
  source: AsyncIterable<T>,
  options: TrackOptions,
  agent: Agent,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const inner = source[Symbol.asyncIterator]();
      if (!agent.alive) return inner;
      return trackAsyncIterator(inner, options, agent);
    },
  };
}
