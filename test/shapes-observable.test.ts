import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BehaviorSubject, Observable, Subject, config, filter, map, take } from 'rxjs';
import { start, stop, track, untrack } from '../src/main/index';
import { streamsLabelled } from './fixtures/shapes-harness';

before(() => start({ intervalMs: 60_000, logLevel: 'silent' }));
after(() => stop());

interface Block {
  hash: string;
  number: number;
}

const block = (number: number): Block => ({ hash: `0x${number}`, number });

/** Subscribes through the usual RxJS doors and returns what each subscriber saw. */
function exercise(subject: Subject<Block>, source: Observable<Block>): unknown[] {
  const seen: unknown[] = [];
  const piped = source
    .pipe(
      filter((value) => value.number % 2 === 1),
      map((value) => value.number * 10),
    )
    .subscribe((value) => seen.push(`piped:${value}`));
  source.pipe(take(2)).subscribe({ complete: () => seen.push('take:complete') });
  source.subscribe({
    prefix: 'observer',
    next(this: { prefix: string }, value: Block) {
      seen.push(`${this.prefix}:${value.number}`);
    },
  } as Partial<{ next: (value: Block) => void }>);
  subject.asObservable().subscribe((value) => seen.push(`asObservable:${value.number}`));
  for (let number = 1; number <= 3; number++) subject.next(block(number));
  piped.unsubscribe();
  subject.next(block(5));
  subject.complete();
  seen.push(subject.observed);
  return seen;
}

test('pipe, next, asObservable and observers behave as on an untracked Subject', () => {
  const plain = new Subject<Block>();
  const expected = exercise(plain, plain);
  const subject = new Subject<Block>();
  const tracked = track(subject, { label: 'observable-parity' });
  assert.equal(tracked, subject);
  assert.deepEqual(exercise(subject, tracked), expected);
});

test('each subscription is a stream from its subscribe call until unsubscribe', async () => {
  const subject = track(new Subject<Block>(), { label: 'observable-streams' });
  const first = subject.subscribe(() => undefined);
  subject.subscribe({ next: () => undefined });
  subject.next(block(1));
  first.unsubscribe();
  subject.next(block(2));

  const streams = await streamsLabelled('observable-streams');
  assert.deepEqual(
    streams.map((stream) => [stream.delivered, stream.closedBy]),
    [
      [1, 'explicit'],
      [2, null],
    ],
  );
  for (const stream of streams) {
    assert.match(stream.site, /shapes-observable\.test\.ts:\d+:\d+$/);
  }
  assert.notEqual(streams[0].site, streams[1].site);
});

test('complete and error end every subscriber stream', async () => {
  const completing = track(new BehaviorSubject(block(0)), { label: 'observable-complete' });
  completing.subscribe(() => undefined);
  completing.pipe(map((value) => value.number)).subscribe(() => undefined);
  completing.complete();
  const failing = track(new Subject<Block>(), { label: 'observable-error' });
  const errors: unknown[] = [];
  failing.subscribe({ error: (error) => errors.push(error) });
  failing.error(new Error('source failed'));

  const completed = await streamsLabelled('observable-complete');
  assert.deepEqual(
    completed.map((stream) => [stream.delivered, stream.closedBy]),
    [
      [1, 'explicit'],
      [1, 'explicit'],
    ],
  );
  const [errored] = await streamsLabelled('observable-error');
  assert.equal(errored.closedBy, 'explicit');
  assert.equal(errors.length, 1);
});

test('a subscriber error reaches RxJS unhandled error handling as without tracking', async () => {
  const reported: unknown[] = [];
  const previous = config.onUnhandledError;
  config.onUnhandledError = (error) => reported.push(error);
  try {
    const failure = new Error('consumer failed');
    const subject = track(new Subject<Block>(), { label: 'observable-throws' });
    subject.subscribe(() => {
      throw failure;
    });
    subject.next(block(1));
    subject.error(new Error('no handler'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(reported.length, 2);
    assert.equal(reported[0], failure);
    assert.equal((reported[1] as Error).message, 'no handler');
  } finally {
    config.onUnhandledError = previous;
  }
  const [stream] = await streamsLabelled('observable-throws');
  assert.equal(stream.delivered, 1);
  assert.equal(stream.closedBy, 'explicit');
});

test('an object with the subscribe contract keeps its form and unsubscribe closes', async () => {
  const observers = new Set<{ next(value: Block): void }>();
  const source = {
    subscribe(observer: { next(value: Block): void }) {
      observers.add(observer);
      return { unsubscribe: () => observers.delete(observer) };
    },
  };
  const tracked = track(source, { label: 'observable-contract' });
  assert.equal(tracked, source);
  const seen: number[] = [];
  const subscription = tracked.subscribe({ next: (value) => seen.push(value.number) });
  assert.deepEqual(Object.keys(subscription), ['unsubscribe']);
  for (const observer of observers) observer.next(block(1));
  subscription.unsubscribe();
  assert.equal(observers.size, 0);
  assert.deepEqual(seen, [1]);
  const [stream] = await streamsLabelled('observable-contract');
  assert.deepEqual([stream.delivered, stream.closedBy], [1, 'explicit']);
});

test('a frozen observable is tracked through a delegate that keeps its API', async () => {
  const source = Object.freeze(new Observable<Block>((subscriber) => subscriber.next(block(1))));
  const tracked = track(source, { label: 'observable-frozen' });
  assert.notEqual(tracked, source);
  const seen: number[] = [];
  tracked.pipe(map((value) => value.number)).subscribe((value) => seen.push(value));
  assert.deepEqual(seen, [1]);
  const [stream] = await streamsLabelled('observable-frozen');
  assert.equal(stream.delivered, 1);
});

test('untrack puts subscribe back', async () => {
  const subject = new Subject<Block>();
  track(subject, { label: 'observable-untrack' });
  untrack(subject);
  assert.equal(Object.prototype.hasOwnProperty.call(subject, 'subscribe'), false);
  subject.subscribe(() => undefined);
  assert.deepEqual(await streamsLabelled('observable-untrack'), []);
});
