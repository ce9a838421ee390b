import type { StreamHandle } from '../stream-handle';
import type { BlockNotification, Pin, PinOwner } from './notification';

/** A sink whatever its notification type, as the hub lists holders and closes streams. */
export interface SinkView {
  readonly name: string;
  readonly label: string;
  readonly streamId: number;
  readonly closed: boolean;
  pinsOf(hash: string): number;
  close(byGc: boolean): void;
}

/** What a sink needs from its hub. */
export interface SinkHost {
  unpinBlock(hash: string): void;
  /** The sink was closed: stop delivering to it, and stop watching its stream object. */
  detach(sink: SinkView): void;
  /** The sink is closed and holds nothing: it can be forgotten. */
  forget(sink: SinkView): void;
}

interface Queued<N> {
  notification: N;
  pin: Pin;
}

type Waiter<N> = (result: IteratorResult<N>) => void;

/** A consumed queue prefix longer than this is cut off the array. */
const COMPACT_AFTER = 1024;

/**
 * The hub's side of one stream: the queue of delivered notifications, the consumers
 * waiting in next(), the pins still live, and the agent's handle when tracking is on.
 * The consumer sees a NotificationStream, which the hub watches for GC; the sink must
 * never refer to it, or a stream its consumer dropped could never be collected.
 */
export class HubSink<N extends BlockNotification> implements PinOwner, SinkView {
  readonly name: string;
  readonly label: string;
  readonly #host: SinkHost;
  readonly #handle: StreamHandle | null;
  readonly #queue: Queued<N>[] = [];
  #head = 0;
  readonly #waiters: Waiter<N>[] = [];
  /** Live pins (queued or taken, not released) per block hash. */
  readonly #pins = new Map<string, number>();
  #liveCount = 0;
  #closed = false;

  constructor(host: SinkHost, name: string, label: string, handle: StreamHandle | null) {
    this.#host = host;
    this.name = name;
    this.label = label;
    this.#handle = handle;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The pinwatch stream id, or 0 when untracked. */
  get streamId(): number {
    return this.#handle?.id ?? 0;
  }

  /** Notifications delivered and not yet taken. */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Notifications of this stream that still pin their block. */
  get liveCount(): number {
    return this.#liveCount;
  }

  pinsOf(hash: string): number {
    return this.#pins.get(hash) ?? 0;
  }

  /** Delivers a notification whose block the hub has just pinned for this stream. */
  offer(notification: N, pin: Pin): void {
    this.#pins.set(pin.hash, (this.#pins.get(pin.hash) ?? 0) + 1);
    this.#liveCount++;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      if (this.#handle !== null) pin.slot = this.#handle.deliverConsumed(notification);
      waiter({ done: false, value: notification });
      return;
    }
    if (this.#handle !== null) pin.slot = this.#handle.deliver(notification);
    this.#queue.push({ notification, pin });
  }

  /** The consumer's next(): the oldest queued notification, or the next one to come. */
  take(): Promise<IteratorResult<N>> {
    if (this.#head < this.#queue.length) {
      const { notification, pin } = this.#queue[this.#head];
      this.#queue[this.#head++] = undefined as unknown as Queued<N>;
      this.#compact();
      this.#handle?.consume(pin.slot, notification);
      return Promise.resolve({ done: false, value: notification });
    }
    if (this.#closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Ends the stream: nothing more is delivered, what is still queued is released (the
   * consumer can no longer take it), and waiting consumers see the end. Notifications
   * already taken keep their pins until they are released or collected.
   */
  close(byGc: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#host.detach(this);
    const queue = this.#queue.splice(0);
    for (let i = this.#head; i < queue.length; i++) {
      const pin = queue[i].pin;
      if (pin.released) continue;
      pin.released = true;
      this.unpinned(pin, false);
    }
    this.#head = 0;
    for (const waiter of this.#waiters.splice(0)) waiter({ done: true, value: undefined });
    this.#handle?.close(byGc);
    if (this.#liveCount === 0) this.#host.forget(this);
  }

  /** A pin of this stream ended: explicitly (release, dispose, dropped queue) or by GC. */
  unpinned(pin: Pin, byGc: boolean): void {
    const left = (this.#pins.get(pin.hash) ?? 1) - 1;
    if (left <= 0) this.#pins.delete(pin.hash);
    else this.#pins.set(pin.hash, left);
    this.#liveCount--;
    this.#host.unpinBlock(pin.hash);
    if (this.#handle !== null && pin.slot !== 0) {
      if (byGc) this.#handle.collected(pin.slot);
      else this.#handle.release(pin.slot);
    }
    if (this.#closed && this.#liveCount === 0) this.#host.forget(this);
  }

  #compact(): void {
    if (this.#head < COMPACT_AFTER || this.#head * 2 < this.#queue.length) return;
    this.#queue.splice(0, this.#head);
    this.#head = 0;
  }
}

/**
 * A stream of notifications as its consumer sees it: an async iterator that can be
 * closed by `return()` (a `break` out of `for await`), `close()`, or `using`. A stream
 * dropped without closing is closed when it is garbage collected, unless a consumer is
 * still waiting in next().
 */
export class NotificationStream<N extends BlockNotification> implements AsyncIterableIterator<N> {
  readonly #sink: HubSink<N>;

  constructor(sink: HubSink<N>) {
    this.#sink = sink;
  }

  /** `<label> stream <n>`, or the name given when the stream was opened. */
  get name(): string {
    return this.#sink.name;
  }

  get closed(): boolean {
    return this.#sink.closed;
  }

  /** Notifications delivered and not yet taken. */
  get queued(): number {
    return this.#sink.queued;
  }

  next(): Promise<IteratorResult<N>> {
    return this.#sink.take();
  }

  return(value?: unknown): Promise<IteratorResult<N>> {
    this.#sink.close(false);
    return Promise.resolve({ done: true, value: value as N });
  }

  throw(error?: unknown): Promise<IteratorResult<N>> {
    this.#sink.close(false);
    return Promise.reject(error);
  }

  /** Stops the stream; queued notifications are released. */
  close(): void {
    this.#sink.close(false);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  [Symbol.dispose](): void {
    this.#sink.close(false);
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.#sink.close(false);
    return Promise.resolve();
  }
}
