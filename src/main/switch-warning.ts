import { writeStderr } from '../shared/log';
import { formatProblem, readSwitch } from './config';

const WARNED = Symbol.for('pinwatch.switchWarned');

/**
 * Says once per process that PINWATCH holds a value that is neither on nor off. The
 * agent's lazy start (state.ts) checks the same flag, so the line is never repeated.
 */
export function warnBadSwitch(env: Record<string, string | undefined>): void {
  const holder = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (holder[WARNED] === true) return;
  const { problem } = readSwitch(env);
  if (problem === null) return;
  holder[WARNED] = true;
  writeStderr(`[pinwatch] ${formatProblem(problem)}\n`);
}
