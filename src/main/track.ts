import type { TrackOptions } from './options';
import { writeStderr } from '../shared/log';
import { validateOptions } from './options';
import {
  isAsyncIterable,
  isAsyncIterator,
  trackAsyncIterable,
  trackAsyncIterator,
} from './shapes/async-iterable';
import { currentAgent } from './state';

/**
 * Tracks a notification source and returns a source of the same shape that delivers the
 * same values. With the agent off, it returns `source` itself. It never throws: a shape it
 * does not know, or bad options, are said once on stderr and the source comes back as is.
 */
export function track<S>(source: S, options: TrackOptions = {}): S {
  const agent = currentAgent();
  if (agent === null) return source;
  const problem = validateOptions(options);
  if (problem !== null) {
    agent.log.warn(`${problem}; this source is not tracked`);
    return source;
  }
  try {
    if (isAsyncIterator(source)) return trackAsyncIterator(source, options, agent) as S;
    if (isAsyncIterable(source)) return trackAsyncIterable(source, options, agent) as S;
  } catch (error) {
    agent.log.error('track() failed, the source is passed through', { error });
    return source;
  }
  warnUnknownShape(source);
  return source;
}

function warnUnknownShape(source: unknown): void {
  const kind = source === null ? 'null' : typeof source;
  writeStderr(
    `[pinwatch] track() cannot follow a ${kind}: expected an async iterable or iterator; ` +
      `it is passed through untracked\n`,
  );
}
