import { writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import type { LogLevel } from './settings';
import { LOG_LEVELS } from './settings';

/**
 * The agent's own logger. It writes with writeSync on fd 2, never through `console` or
 * `process.stderr`, which the host may have replaced and which a worker proxies through
 * the host's event loop. Lines read `[pinwatch:<side>:<threadId>] <event> key=value ...`.
 */
export class Log {
  #rank: number;
  readonly #prefix: string;

  constructor(side: 'main' | 'worker', level: LogLevel) {
    this.#rank = LOG_LEVELS.indexOf(level);
    this.#prefix = `[pinwatch:${side}:${threadId}]`;
  }

  setLevel(level: LogLevel): void {
    this.#rank = LOG_LEVELS.indexOf(level);
  }

  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= this.#rank && level !== 'silent';
  }

  error(event: string, fields?: Record<string, unknown>): void {
    this.#write('error', event, fields);
  }

  warn(event: string, fields?: Record<string, unknown>): void {
    this.#write('warn', event, fields);
  }

  info(event: string, fields?: Record<string, unknown>): void {
    this.#write('info', event, fields);
  }

  debug(event: string, fields?: Record<string, unknown>): void {
    this.#write('debug', event, fields);
  }

  /** Writes a preformatted block (findings) when the level allows warnings. */
  block(text: string): void {
    if (this.enabled('warn')) writeStderr(text.endsWith('\n') ? text : `${text}\n`);
  }

  #write(level: LogLevel, event: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    let line = `${this.#prefix} ${event}`;
    if (fields) {
      for (const [key, value] of Object.entries(fields)) line += ` ${key}=${formatField(value)}`;
    }
    writeStderr(`${line}\n`);
  }
}

function formatField(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Error) return JSON.stringify(value.message);
  return String(value);
}

/** Writes to stderr synchronously and never throws (a closed stderr must not hurt the host). */
export function writeStderr(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    // Nowhere left to report to.
  }
}
