import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** How much of a generated file's end is read to find its `sourceMappingURL` comment. */
const TAIL_BYTES = 4096;

const MAPPING_URL = /[#@]\s*sourceMappingURL=([^\s'"*]+)/g;

/** What mapping one generated file costs, learnt without reading it whole. */
export interface MapWeight {
  /** The file names a source map (external or inline). */
  hasMap: boolean;
  /** Bytes source-map-support would read and keep to map it: the file plus its map. */
  bytes: number;
}

const NO_MAP: MapWeight = { hasMap: false, bytes: 0 };

/**
 * Weighs the source map of `file` from the file's size, the last few KiB of it and the
 * size of an external map. Anything unreadable counts as "no map": the generated position
 * is reported, which is still true.
 */
export function probeMap(file: string): MapWeight {
  if (!isAbsolute(file)) return NO_MAP;
  let fd = -1;
  try {
    const size = statSync(file).size;
    fd = openSync(file, 'r');
    const length = Math.min(size, TAIL_BYTES);
    const tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, size - length);
    const url = lastMappingUrl(tail.toString('utf8'));
    if (url === null) {
      // An inline map larger than the tail hides its comment; weigh the file alone.
      return size > TAIL_BYTES * 16 ? { hasMap: true, bytes: size } : NO_MAP;
    }
    if (url.startsWith('data:')) return { hasMap: true, bytes: size };
    const mapFile = resolve(dirname(file), decodeURIComponent(url.split('?')[0]));
    return { hasMap: true, bytes: size + statSync(mapFile).size };
  } catch {
    return NO_MAP;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

function lastMappingUrl(text: string): string | null {
  let last: string | null = null;
  for (const match of text.matchAll(MAPPING_URL)) last = match[1];
  return last;
}
