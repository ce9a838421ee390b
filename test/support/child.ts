import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root, seen from a compiled test in dist/test. */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const ENTRY = resolve(ROOT, 'dist', 'src', 'main', 'index.js');
export const REGISTER = resolve(ROOT, 'dist', 'src', 'main', 'register.js');
export const FIXTURES = resolve(ROOT, 'test', 'fixtures');

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs node with `args`; kills it with SIGKILL after `timeoutMs` and says so. */
export function runNode(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 15_000,
): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, PINWATCH: undefined, NODE_OPTIONS: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, timedOut });
    });
  });
}
