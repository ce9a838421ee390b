import { EventEmitter } from 'node:events';
import { Subject, type Observable } from 'rxjs';
import type { TrackOptions } from '../src/main/index';
import type { BlockNotification } from './workload';
import { blockAt, consume } from './workload';

/** How a variant sees the source: `wrap` is track() or nothing, `tap` runs per delivery. */
export interface Wrapping {
  wrap<S>(source: S, shapeOptions: TrackOptions): S;
  tap?: (value: BlockNotification) => void;
}

/** A built workload: `run(n)` makes about `n` deliveries (notifications x consumers). */
export interface Delivery {
  run(n: number): void | Promise<void>;
}

/**
 * One shape of notification source, the way users write it: a producer, the consumers
 * pinwatch would wrap, and what one delivery is. Each shape is one entry of the suite.
 */
export interface ShapeEntry {
  name: string;
  /** Consumers each notification reaches. */
  consumers: number;
  build(wrapping: Wrapping): Delivery;
}

async function* blocks(count: number): AsyncGenerator<BlockNotification> {
  for (let i = 0; i < count; i++) yield blockAt(i);
}

/** `for await` over an async generator; each iteration of the source is one stream. */
export const asyncIterableShape: ShapeEntry = {
  name: 'async iterable',
  consumers: 1,
  build({ wrap, tap }) {
    let count = 0;
    const source: AsyncIterable<BlockNotification> = {
      [Symbol.asyncIterator]: () => blocks(count),
    };
    const tracked = wrap(source, {});
    return {
      async run(n) {
        count = n;
        for await (const block of tracked) {
          tap?.(block);
          consume(block);
        }
      },
    };
  },
};

/** An EventEmitter with one listener for 'block'; the listener is the stream. */
export const eventEmitterShape: ShapeEntry = {
  name: 'EventEmitter',
  consumers: 1,
  build({ wrap, tap }) {
    const emitter = new EventEmitter();
    const tracked = wrap(emitter, { event: 'block' });
    tracked.on('block', (block: BlockNotification) => {
      tap?.(block);
      consume(block);
    });
    return {
      run(n) {
        for (let i = 0; i < n; i++) emitter.emit('block', blockAt(i));
      },
    };
  },
};

export const SUBJECT_SUBSCRIBERS = 10;

/** An RxJS Subject with 10 subscribers; each subscription is a stream. */
export const subjectShape: ShapeEntry = {
  name: `RxJS Subject, ${SUBJECT_SUBSCRIBERS} subscribers`,
  consumers: SUBJECT_SUBSCRIBERS,
  build({ wrap, tap }) {
    const subject = new Subject<BlockNotification>();
    const tracked: Observable<BlockNotification> = wrap(subject, {});
    for (let s = 0; s < SUBJECT_SUBSCRIBERS; s++) {
      tracked.subscribe((block) => {
        tap?.(block);
        consume(block);
      });
    }
    return {
      run(n) {
        const notifications = Math.ceil(n / SUBJECT_SUBSCRIBERS);
        for (let i = 0; i < notifications; i++) subject.next(blockAt(i));
      },
    };
  },
};

export const SHAPES: readonly ShapeEntry[] = [asyncIterableShape, eventEmitterShape, subjectShape];
