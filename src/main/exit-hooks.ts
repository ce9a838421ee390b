import { constants } from 'node:os';
import type { FindingKind } from '../shared/finding';
import { writeStderr } from '../shared/log';
import { FINDING_KIND_BITS } from '../shared/protocol';
import { runningAgent } from './state';

/** The exit code PINWATCH_FAIL_ON sets when the host itself would have exited with 0. */
export const FAIL_ON_EXIT_CODE = 1;

/** Signals whose default action ends the process without an 'exit' event. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

const INSTALLED = Symbol.for('pinwatch.exitHooks');

/**
 * Makes the final report happen however the process ends: normal exit, process.exit() and
 * an uncaught exception all emit 'exit'; SIGINT and SIGTERM do not when the host has no
 * handler, so the agent listens for them and, when it is the only listener, reports and then
 * raises the signal again with the default action back, so the process ends as it would
 * have, with the same code. With a host handler, the host decides as before.
 */
export function installExitHooks(failOn: readonly FindingKind[]): void {
  const holder = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (holder[INSTALLED] === true) return;
  holder[INSTALLED] = true;

  process.on('exit', (exitCode: number) => {
    try {
      const kinds = runningAgent()?.reportAtExit(exitCode) ?? null;
      if (kinds !== null && failOn.length > 0) applyFailOn(kinds, failOn, exitCode);
    } catch (error) {
      writeStderr(`[pinwatch] final report failed: ${String(error)}\n`);
    }
  });
  for (const signal of ENDING_SIGNALS) {
    const onSignal = (): void => {
      if (process.listeners(signal).some((listener) => listener !== onSignal)) return;
      try {
        runningAgent()?.reportAtExit(128 + (constants.signals[signal] ?? 0));
      } catch (error) {
        writeStderr(`[pinwatch] final report failed: ${String(error)}\n`);
      }
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Test mode: a finding of a listed kind turns a clean exit into a failing one. */
function applyFailOn(kinds: number, failOn: readonly FindingKind[], exitCode: number): void {
  const found = failOn.filter((kind) => (kinds & (1 << FINDING_KIND_BITS.indexOf(kind))) !== 0);
  if (found.length === 0) return;
  const code = exitCode === 0 ? FAIL_ON_EXIT_CODE : exitCode;
  writeStderr(
    `[pinwatch] PINWATCH_FAIL_ON: findings of kind ${found.join(', ')} were made ` +
      `(listed above); exit code ${code}\n`,
  );
  if (exitCode === 0) process.exitCode = FAIL_ON_EXIT_CODE;
}
