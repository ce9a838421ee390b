import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedPosition, OriginalPosition } from './symbolicate-task';
import { BoundedCache } from './bounded-cache';
import { probeMap } from './map-probe';
import { SymbolicatePool } from './symbolicate-pool';
import { symbolicate } from './symbolicate-task';

/** One frame of a creation stack, after source mapping. */
export interface Frame {
  fn: string;
  file: string;
  line: number;
  column: number;
}

/** How the resolver treats one generated file. */
export interface SiteResolverOptions {
  /** A file whose size plus map size is over this is mapped in the piscina pool. */
  heavyMapBytes?: number;
  /** File plus map bytes mapped on the pinning worker's own thread before all go to the pool. */
  inThreadBytes?: number;
  /** Whether large maps go to the pool; off, they are parsed on the calling thread. */
  usePool?: boolean;
}

/** Resolved stacks kept at most; a process has few distinct creation sites. */
const MAX_CACHED_STACKS = 4096;
/** Generated files whose map weight is remembered. */
const MAX_CACHED_FILES = 2048;
/** Positions mapped by the pool and kept here. */
const MAX_CACHED_POSITIONS = 16_384;
const DEFAULT_HEAVY_MAP_BYTES = 2 * 1024 * 1024;
const DEFAULT_IN_THREAD_BYTES = 32 * 1024 * 1024;
/** The longest a report waits for the pool before it prints generated positions. */
const PREPARE_WAIT_MS = 10_000;

type Route = 'none' | 'thread' | 'pool';

/**
 * Turns raw creation stacks into frames of the user's own source, on the pinning worker,
 * never on the host's thread. Mapping goes through source-map-support's position mapper
 * only (no `install()`, no `Error.prepareStackTrace` patch). Small maps are mapped here;
 * large ones in a piscina thread, which `prepare()` waits for before a report, so the
 * worker's loop keeps applying records while a map of tens of MB is parsed.
 */
export class SiteResolver {
  readonly #stacks = new BoundedCache<string, Frame[]>(MAX_CACHED_STACKS);
  readonly #routes = new BoundedCache<string, { route: Route; bytes: number }>(MAX_CACHED_FILES);
  readonly #positions = new BoundedCache<string, OriginalPosition>(MAX_CACHED_POSITIONS);
  readonly #inFlight = new Map<string, Promise<void>>();
  /** Files source-map-support holds on this thread; it never forgets them. */
  readonly #inThreadFiles = new Set<string>();
  #inThreadBytes = 0;
  readonly #pool = new SymbolicatePool();
  readonly #heavyMapBytes: number;
  readonly #inThreadLimit: number;
  readonly #usePool: boolean;
  #ignore: string[];
  #cwd: string;

  constructor(ignoreSitePaths: string[], cwd: string, options: SiteResolverOptions = {}) {
    this.#ignore = ignoreSitePaths;
    this.#cwd = cwd;
    this.#heavyMapBytes = options.heavyMapBytes ?? DEFAULT_HEAVY_MAP_BYTES;
    this.#inThreadLimit = options.inThreadBytes ?? DEFAULT_IN_THREAD_BYTES;
    this.#usePool = options.usePool ?? true;
  }

  configure(ignoreSitePaths: string[], cwd: string): void {
    this.#ignore = ignoreSitePaths;
    this.#cwd = cwd;
    this.#stacks.clear();
  }

  /** Frames of `rawStack`; positions behind a large map not yet mapped stay generated. */
  frames(rawStack: string): Frame[] {
    if (rawStack === '') return [];
    const cached = this.#stacks.get(rawStack);
    if (cached) return cached;
    let isComplete = true;
    const frames = rawStack.split('\n').map((line) => {
      const raw = parseFrame(line);
      const frame = this.#resolve(raw);
      if (frame === null) isComplete = false;
      return frame ?? relativeFrame(raw, this.#cwd);
    });
    if (isComplete) this.#stacks.set(rawStack, frames);
    return frames;
  }

  /**
   * Maps, in the pool, the positions of `stacks` that sit behind large maps, so that the
   * next report prints them mapped. Resolves when done, or after a bounded wait.
   */
  async prepare(stacks: Iterable<string>): Promise<void> {
    const wanted = new Map<string, GeneratedPosition[]>();
    for (const rawStack of stacks) {
      if (rawStack === '' || this.#stacks.get(rawStack)) continue;
      for (const line of rawStack.split('\n')) {
        const frame = parseFrame(line);
        if (this.#routeOf(frame.file) !== 'pool') continue;
        const key = positionKey(frame);
        if (this.#positions.get(key) !== undefined || this.#inFlight.has(key)) continue;
        const list = wanted.get(frame.file) ?? [];
        list.push(generatedOf(frame));
        wanted.set(frame.file, list);
      }
    }
    for (const [file, positions] of wanted) this.#mapInPool(file, positions);
    if (this.#inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, PREPARE_WAIT_MS);
      timer.unref();
    });
    await Promise.race([Promise.all(this.#inFlight.values()), giveUp]);
    clearTimeout(timer);
  }

  /** The first frame that is the user's own code, as `path:line:column`. */
  site(frames: Frame[]): string {
    if (frames.length === 0) return 'unknown';
    const own = frames.find((frame) => this.#isUserFrame(frame));
    return formatPosition(own ?? frames[0]);
  }

  /** Short printable stack lines. */
  format(frames: Frame[]): string[] {
    return frames.map((frame) => `${frame.fn || '<anonymous>'} (${formatPosition(frame)})`);
  }

  /** Lets the pool's thread go (tests, and the worker's close). */
  async close(): Promise<void> {
    await this.#pool.close();
  }

  #isUserFrame(frame: Frame): boolean {
    if (frame.file.startsWith('node:') || frame.file.startsWith('internal/')) return false;
    return !this.#ignore.some((part) => part !== '' && frame.file.includes(part));
  }

  /** The frame mapped and made relative; null when it waits for the pool. */
  #resolve(raw: Frame): Frame | null {
    const route = this.#routeOf(raw.file);
    if (route === 'none') return relativeFrame(raw, this.#cwd);
    let mapped: OriginalPosition | undefined;
    if (route === 'thread') {
      [mapped] = symbolicate({ file: raw.file, positions: [generatedOf(raw)] });
    } else {
      mapped = this.#positions.get(positionKey(raw));
      if (mapped === undefined) return null;
    }
    if (mapped === null) return relativeFrame(raw, this.#cwd);
    const file = fromFileUrl(mapped.source);
    return relativeFrame({ ...raw, file, line: mapped.line, column: mapped.column + 1 }, this.#cwd);
  }

  #routeOf(file: string): Route {
    const known = this.#routes.get(file);
    if (known !== undefined) return known.route;
    const weight = probeMap(file);
    let route: Route = 'none';
    if (weight.hasMap) {
      const fitsThread =
        weight.bytes <= this.#heavyMapBytes &&
        (this.#inThreadFiles.has(file) ||
          this.#inThreadBytes + weight.bytes <= this.#inThreadLimit);
      route = fitsThread || !this.#usePool ? 'thread' : 'pool';
    }
    if (route === 'thread' && !this.#inThreadFiles.has(file)) {
      this.#inThreadFiles.add(file);
      this.#inThreadBytes += weight.bytes;
    }
    this.#routes.set(file, { route, bytes: weight.bytes });
    return route;
  }

  #mapInPool(file: string, positions: GeneratedPosition[]): void {
    const bytes = this.#routes.get(file)?.bytes ?? 0;
    const keys = positions.map((position) =>
      positionKey({ file, ...position, column: position.column + 1 }),
    );
    const done = this.#pool.map({ file, positions }, bytes).then((mapped) => {
      keys.forEach((key, index) => {
        this.#positions.set(key, mapped[index] ?? null);
        this.#inFlight.delete(key);
      });
    });
    for (const key of keys) this.#inFlight.set(key, done);
  }
}

function parseFrame(line: string): Frame {
  const [fn = '', rawFile = '', rawLine = '0', rawColumn = '0'] = line.split('\t');
  return {
    fn,
    file: fromFileUrl(rawFile),
    line: Number(rawLine) || 0,
    column: Number(rawColumn) || 0,
  };
}

/** source-map-support counts columns from 0; V8's call sites from 1. */
function generatedOf(frame: Frame): GeneratedPosition {
  return { line: frame.line, column: Math.max(0, frame.column - 1) };
}

function positionKey(frame: { file: string; line: number; column: number }): string {
  return `${frame.file}:${frame.line}:${frame.column}`;
}

function relativeFrame(frame: Frame, cwd: string): Frame {
  if (!isAbsolute(frame.file)) return frame;
  const rel = relative(cwd, frame.file);
  return rel.startsWith('..') || isAbsolute(rel) ? frame : { ...frame, file: rel };
}

function formatPosition(frame: Frame): string {
  return `${frame.file}:${frame.line}:${frame.column}`;
}

function fromFileUrl(url: string): string {
  if (!url.startsWith('file://')) return url;
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}
