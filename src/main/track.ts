import type { Agent } from './agent';
import type { TrackOptions } from './options';
import { validateOptions } from './options';
import {
  isAsyncIterable,
  isAsyncIterator,
  trackAsyncIterable,
  trackAsyncIterator,
} from './shapes/async-iterable';
import { trackCallbackSubscription, untrackCallbackSubscription } from './shapes/callback';
import { isEventEmitter, trackEmitter, untrackEmitter } from './shapes/emitter';
import { isSubscribable, trackObservable, untrackObservable } from './shapes/observable';
import { isReadableStream, trackReadable, untrackReadable } from './shapes/readable';
import { currentAgent, runningAgent } from './state';

/** What track() accepts, for the line that says why a source was not tracked. */
const ACCEPTED_SHAPES =
  'an async iterable or iterator, an object-mode Readable, an observable (subscribe), ' +
  'a subscribe(callback) function, or an EventEmitter with options.event';

/** A shape's tracked source, or the reason the source cannot be tracked. */
type Outcome = { tracked: unknown } | { problem: string };

/**
 * Tracks a notification source and returns a source of the same shape that delivers the
 * same values:
 * - an EventEmitter with `options.event`: every listener added for that event is a stream;
 *   the emitter is patched in place and comes back as itself;
 * - an object-mode Readable: one stream, with its buffer as the stream's queue (in place);
 * - an observable (RxJS or anything with `subscribe`): every subscription is a stream
 *   (in place; `pipe`, Subject's `next` and the rest are untouched);
 * - an async iterator, or an async iterable (each iteration is a stream);
 * - a `subscribe(callback) -> unsubscribe` function (also a promise of the unsubscribe):
 *   every call is a stream; a proxy of the function comes back.
 *
 * With the agent off, it returns `source` itself. It never throws: a shape it does not
 * know, or bad options, are said in one line on stderr and the source comes back as is.
 */
export function track<S>(source: S, options: TrackOptions = {}): S {
  const agent = currentAgent();
  if (agent === null) return source;
  const problem = validateOptions(options);
  if (problem !== null) {
    agent.log.warn(`${problem}; this source is not tracked`);
    return source;
  }
  let outcome: Outcome;
  try {
    outcome = trackShape(source, options, agent);
  } catch (error) {
    agent.log.error('track() failed, the source is passed through', { error });
    return source;
  }
  if ('tracked' in outcome) return outcome.tracked as S;
  agent.log.warn(`${outcome.problem}; it is passed through untracked`);
  return source;
}

function trackShape(source: unknown, options: TrackOptions, agent: Agent): Outcome {
  const event = options.event;
  if (event !== undefined) {
    if (isEventEmitter(source)) return { tracked: trackEmitter(source, event, options) };
    return { problem: `track() options.event needs an EventEmitter, got ${describe(source)}` };
  }
  if (isReadableStream(source)) {
    if (source.readableObjectMode) return { tracked: trackReadable(source, options) };
    return {
      problem:
        'track() follows object-mode Readable streams only (a byte stream has no ' +
        "notifications); pass { event: 'data' } to count its chunks",
    };
  }
  // Before the iterator checks: a Subject has next(), and RxJS 8 observables are iterable.
  if (isSubscribable(source)) return { tracked: trackObservable(source, options) };
  if (isAsyncIterator(source)) return { tracked: trackAsyncIterator(source, options, agent) };
  if (isAsyncIterable(source)) return { tracked: trackAsyncIterable(source, options, agent) };
  if (typeof source === 'function') {
    return {
      tracked: trackCallbackSubscription(source as (...args: unknown[]) => unknown, options),
    };
  }
  if (isEventEmitter(source)) {
    return { problem: 'track() needs options.event (the event whose listeners are streams)' };
  }
  return { problem: `track() cannot follow ${describe(source)}: expected ${ACCEPTED_SHAPES}` };
}

function describe(source: unknown): string {
  if (source === null) return 'null';
  if (typeof source !== 'object') return withArticle(typeof source);
  const prototype = Object.getPrototypeOf(source);
  if (prototype === null || prototype === Object.prototype) return 'a plain object';
  const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? withArticle(name) : 'an object';
}

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/**
 * Undoes track() on a source patched in place (emitter, observable, Readable): its
 * methods are put back and its open streams closed. For a tracked subscribe function it
 * returns the original function. Anything else comes back as it is. Works with the agent
 * off too, and never throws.
 */
export function untrack<S>(source: S): S {
  try {
    if (typeof source === 'function') {
      return (untrackCallbackSubscription(source) as S | undefined) ?? source;
    }
    if (typeof source !== 'object' || source === null) return source;
    untrackEmitter(source);
    untrackObservable(source);
    untrackReadable(source);
  } catch (error) {
    runningAgent()?.log.debug('untrack() failed', { error });
  }
  return source;
}
