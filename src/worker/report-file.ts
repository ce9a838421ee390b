import { appendFileSync, closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Log } from '../shared/log';

/**
 * Appends JSON lines to the report file. Each line goes out in one `O_APPEND` write, so a
 * crash mid-run leaves every earlier line whole; a line a crash cut short in an earlier
 * run is closed with a newline before the first new line, so it spoils only itself.
 */
export class ReportFile {
  readonly #log: Log;
  #path: string;
  #isBroken = false;
  #checkedTail = false;

  constructor(log: Log, path: string) {
    this.#log = log;
    this.#path = path;
  }

  setPath(path: string): void {
    if (path === this.#path) return;
    this.#path = path;
    this.#isBroken = false;
    this.#checkedTail = false;
  }

  append(record: object): void {
    if (this.#path === '' || this.#isBroken) return;
    try {
      let text = `${JSON.stringify(record)}\n`;
      if (!this.#checkedTail) {
        this.#checkedTail = true;
        if (endsMidLine(this.#path)) text = `\n${text}`;
      }
      appendFileSync(this.#path, text);
    } catch (error) {
      this.#isBroken = true;
      this.#log.error('report file unwritable, JSON lines stop', { file: this.#path, error });
    }
  }
}

/** True when the file exists, is not empty and its last byte is not a newline. */
function endsMidLine(path: string): boolean {
  let fd = -1;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } catch {
    return false;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
