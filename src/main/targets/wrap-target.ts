import type { Log } from '../../shared/log';
import type { TargetReturn, TargetSpec } from './target-spec';
import { track } from '../track';

/** Marks a wrapper with the function it wraps, so a target is never wrapped twice. */
const ORIGINAL = Symbol.for('pinwatch.original');

/**
 * Wraps what `target` names on a module's exports so that the streams it returns are
 * tracked. The exports object is changed in place where it can be; the return value is
 * the exports to hand on (a new function when the module itself is the target). What
 * cannot be wrapped is said in one line and left as it was.
 */
export function applyTarget(exports: unknown, target: TargetSpec, log: Log): unknown {
  const path = target.exportPath;
  if (path.length === 0) {
    if (typeof exports !== 'function') {
      missing(target, log, 'the module does not export a function');
      return exports;
    }
    return wrapFunction(exports as AnyFunction, target.returns);
  }
  let holder: unknown = exports;
  for (const part of path.slice(0, -1)) {
    holder = isObjectLike(holder) ? (holder as Record<string, unknown>)[part] : undefined;
  }
  const name = path[path.length - 1];
  const owner = isObjectLike(holder) ? ownerOf(holder as object, name) : null;
  if (owner === null) {
    missing(target, log, `it has no ${path.join('.')}`);
    return exports;
  }
  const descriptor = Object.getOwnPropertyDescriptor(owner, name) as PropertyDescriptor;
  const replaced = descriptor.get
    ? replaceGetter(owner, name, descriptor, target.returns)
    : replaceValue(owner, name, descriptor, target.returns);
  if (!replaced) missing(target, log, `${path.join('.')} is not a function or cannot be replaced`);
  else log.debug('target wrapped', { module: target.module, export: path.join('.') });
  return exports;
}

type AnyFunction = (...args: unknown[]) => unknown;

function missing(target: TargetSpec, log: Log, reason: string): void {
  const path = target.exportPath.join('.');
  const where = path === '' ? target.module : `${target.module} ${path}`;
  log.warn(`target ${where} (${target.origin}) is not tracked: ${reason}`);
}

function isObjectLike(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** The object in `holder`'s prototype chain that owns `name` (getters live on base classes). */
function ownerOf(holder: object, name: string): object | null {
  for (let current: object | null = holder; current !== null;) {
    if (Object.prototype.hasOwnProperty.call(current, name)) return current;
    current = Object.getPrototypeOf(current) as object | null;
  }
  return null;
}

function replaceValue(
  owner: object,
  name: string,
  descriptor: PropertyDescriptor,
  returns: TargetReturn,
): boolean {
  const original = descriptor.value as unknown;
  if (typeof original !== 'function') return false;
  if ((original as unknown as Record<symbol, unknown>)[ORIGINAL] !== undefined) return true;
  return setProperty(owner, name, wrapFunction(original as AnyFunction, returns));
}

/** A getter's value is wrapped as it is read, once per returned object. */
function replaceGetter(
  owner: object,
  name: string,
  descriptor: PropertyDescriptor,
  returns: TargetReturn,
): boolean {
  const get = descriptor.get as (this: unknown) => unknown;
  if ((get as unknown as Record<symbol, unknown>)[ORIGINAL] !== undefined) return true;
  const wrappedGet = function (this: unknown): unknown {
    return wrapResult(get.call(this), returns);
  };
  markWrapper(wrappedGet, get);
  try {
    Object.defineProperty(owner, name, { ...descriptor, get: wrappedGet });
    return true;
  } catch {
    return false;
  }
}

/** Assignment first (it goes through module namespace proxies), then defineProperty. */
function setProperty(owner: object, name: string, value: unknown): boolean {
  const record = owner as Record<string, unknown>;
  try {
    record[name] = value;
  } catch {
    // Read-only or a setter that throws: try redefining below.
  }
  if (record[name] === value) return true;
  try {
    const descriptor = Object.getOwnPropertyDescriptor(owner, name);
    if (descriptor && !descriptor.configurable) return false;
    Object.defineProperty(owner, name, {
      value,
      writable: true,
      enumerable: descriptor?.enumerable ?? true,
      configurable: true,
    });
    return record[name] === value;
  } catch {
    return false;
  }
}

function markWrapper(wrapper: object, original: object): void {
  Object.defineProperty(wrapper, ORIGINAL, { value: original });
}

/**
 * A function that behaves as `original` (also under `new`), keeping its name, length,
 * prototype and own properties, and wraps what it returns. A promise is wrapped when it
 * resolves.
 */
function wrapFunction(original: AnyFunction, returns: TargetReturn): AnyFunction {
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    const result: unknown = new.target
      ? Reflect.construct(original, args, new.target)
      : Reflect.apply(original, this, args);
    if (result instanceof Promise) return result.then((value) => wrapResult(value, returns));
    return wrapResult(result, returns);
  };
  for (const key of Reflect.ownKeys(original)) {
    if (key === 'arguments' || key === 'caller') continue;
    const descriptor = Object.getOwnPropertyDescriptor(original, key);
    if (descriptor === undefined) continue;
    try {
      Object.defineProperty(wrapper, key, descriptor);
    } catch {
      // A property the wrapper cannot take; the original keeps it.
    }
  }
  Object.setPrototypeOf(wrapper, Object.getPrototypeOf(original) as object);
  markWrapper(wrapper, original);
  return wrapper;
}

/** Streams already handed out for a value, so a getter read twice gives the same stream. */
const trackedStreams = new WeakMap<object, unknown>();
/** Property paths already wrapped on an object. */
const wrappedPaths = new WeakMap<object, Set<string>>();

function wrapResult(value: unknown, returns: TargetReturn): unknown {
  try {
    if (!isObjectLike(value)) return value;
    if (returns.kind === 'stream') {
      const known = trackedStreams.get(value as object);
      if (known !== undefined) return known;
      const tracked = track(value, returns.options);
      if (tracked !== value) trackedStreams.set(value as object, tracked);
      return tracked;
    }
    let done = wrappedPaths.get(value as object);
    if (done === undefined) wrappedPaths.set(value as object, (done = new Set()));
    for (const [path, options] of returns.properties) {
      if (!done.has(path) && wrapProperty(value as object, path, options)) done.add(path);
    }
  } catch {
    // Tracking never changes what the host gets back.
  }
  return value;
}

/** Replaces one (dotted) property of `root` with its tracked stream. False: try again later. */
function wrapProperty(root: object, path: string, options: TrackOptionsOf): boolean {
  const parts = path.split('.');
  let parent: unknown = root;
  for (const part of parts.slice(0, -1)) {
    parent = isObjectLike(parent) ? (parent as Record<string, unknown>)[part] : undefined;
  }
  if (!isObjectLike(parent)) return false;
  const name = parts[parts.length - 1];
  const source = (parent as Record<string, unknown>)[name];
  if (!isObjectLike(source)) return false;
  const tracked = track(source, options);
  return tracked === source || setProperty(parent as object, name, tracked);
}

type TrackOptionsOf = Parameters<typeof track>[1];
