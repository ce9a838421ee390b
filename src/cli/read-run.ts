import { SCHEMA_VERSION } from '../shared/finding';

/** Line types of the report file this CLI understands (see the README's schema). */
export const LINE_TYPES = ['finding', 'scan', 'final', 'eviction', 'budget'] as const;
export type LineType = (typeof LINE_TYPES)[number];

/** One parsed JSON line; fields beyond `type`, `v` and `time` are read where used. */
export interface RunLine {
  type: LineType;
  v: number;
  time: string;
  [field: string]: unknown;
}

/** A line that could not be used, by its 1-based number in the file. */
export interface LineProblem {
  line: number;
  message: string;
}

export interface RecordedRun {
  lines: RunLine[];
  problems: LineProblem[];
  /** Lines of a type this version does not know, skipped without complaint. */
  skipped: number;
}

/**
 * Reads a recorded run. A bad line is named by its number and skipped; every good line,
 * before and after it, is kept. A last line without its newline that does not parse is
 * reported as cut short, which is how a crash mid-write looks.
 */
export function readRun(text: string): RecordedRun {
  const run: RecordedRun = { lines: [], problems: [], skipped: 0 };
  const rows = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  rows.forEach((row, index) => {
    if (row.trim() === '') return;
    const number = index + 1;
    const isLast = index === rows.length - 1 && !endsWithNewline;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (error) {
      const message = isLast
        ? 'cut short (the file ends mid-line, as after a crash while writing)'
        : `not valid JSON (${(error as Error).message})`;
      run.problems.push({ line: number, message });
      return;
    }
    const problem = checkLine(value);
    if (problem === 'skip') run.skipped++;
    else if (problem !== null) run.problems.push({ line: number, message: problem });
    else run.lines.push(value as RunLine);
  });
  return run;
}

function checkLine(value: unknown): string | 'skip' | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return 'not a JSON object';
  }
  const { type, v, time } = value as Record<string, unknown>;
  if (typeof type !== 'string') return 'has no "type" field';
  if (typeof v !== 'number' || !Number.isInteger(v)) return 'has no integer "v" (schema version)';
  if (v > SCHEMA_VERSION) {
    return `schema version ${v} is newer than this pinwatch reads (${SCHEMA_VERSION})`;
  }
  if (!(LINE_TYPES as readonly string[]).includes(type)) return 'skip';
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) {
    return 'has no ISO "time" field';
  }
  return null;
}
