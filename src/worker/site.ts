import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mapSourcePosition } from 'source-map-support';

/** One frame of a creation stack, after source mapping. */
export interface Frame {
  fn: string;
  file: string;
  line: number;
  column: number;
}

/** Resolved stacks kept at most; a process has few distinct creation sites. */
const MAX_CACHED_STACKS = 4096;

/**
 * Turns raw creation stacks into frames of the user's own source. Mapping goes through
 * source-map-support's position mapper only: it reads `sourceMappingURL` comments and
 * maps a position without patching `Error.prepareStackTrace` anywhere, and it runs here,
 * on the pinning worker, never on the host's thread.
 */
export class SiteResolver {
  readonly #cache = new Map<string, Frame[]>();
  #ignore: string[];
  #cwd: string;

  constructor(ignoreSitePaths: string[], cwd: string) {
    this.#ignore = ignoreSitePaths;
    this.#cwd = cwd;
  }

  configure(ignoreSitePaths: string[], cwd: string): void {
    this.#ignore = ignoreSitePaths;
    this.#cwd = cwd;
    this.#cache.clear();
  }

  frames(rawStack: string): Frame[] {
    if (rawStack === '') return [];
    const cached = this.#cache.get(rawStack);
    if (cached) return cached;
    const frames = rawStack.split('\n').map((line) => this.#resolve(line));
    if (this.#cache.size >= MAX_CACHED_STACKS) this.#cache.clear();
    this.#cache.set(rawStack, frames);
    return frames;
  }

  /** The first frame that is the user's own code, as `path:line:column`. */
  site(frames: Frame[]): string {
    if (frames.length === 0) return 'unknown';
    const own = frames.find((frame) => !this.#ignore.some((part) => frame.file.includes(part)));
    return formatPosition(own ?? frames[0]);
  }

  /** Short printable stack lines. */
  format(frames: Frame[]): string[] {
    return frames.map((frame) => `${frame.fn || '<anonymous>'} (${formatPosition(frame)})`);
  }

  #resolve(line: string): Frame {
    const [fn = '', rawFile = '', rawLine = '0', rawColumn = '0'] = line.split('\t');
    let file = rawFile.startsWith('file://') ? safeFileUrl(rawFile) : rawFile;
    let lineNumber = Number(rawLine) || 0;
    let column = Number(rawColumn) || 0;
    try {
      const mapped = mapSourcePosition({ source: file, line: lineNumber, column });
      if (mapped && mapped.source !== file) {
        file = mapped.source.startsWith('file://') ? safeFileUrl(mapped.source) : mapped.source;
        lineNumber = mapped.line;
        column = mapped.column + 1;
      }
    } catch {
      // An unreadable or broken map leaves the generated position, which is still true.
    }
    if (isAbsolute(file)) {
      const rel = relative(this.#cwd, file);
      if (!rel.startsWith('..')) file = rel;
    }
    return { fn, file, line: lineNumber, column };
  }
}

function formatPosition(frame: Frame): string {
  return `${frame.file}:${frame.line}:${frame.column}`;
}

function safeFileUrl(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}
