import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CONSUMERS } from './demo/consumers';
import { firstBlockPerConsumer, parseStatus, readVerdicts } from './demo/summary';
import type { ConsumerVerdict, NodeStatus } from './demo/summary';
import { STATUS_PREFIX } from './node/demo-context';

const USAGE =
  'usage: npm run demo [-- --seconds N] [--summary-file FILE]\n' +
  '  --seconds N          how long the simulated node runs (default 20, or DEMO_SECONDS)\n' +
  '  --summary-file FILE  also write what was found as JSON (or DEMO_SUMMARY_FILE)\n';

/** Thresholds suited to a 20-second run; in production the defaults are far larger. */
const AGENT_ENV: Record<string, string> = {
  PINWATCH_INTERVAL_MS: '2000',
  PINWATCH_SLOW_THRESHOLD: '10',
  PINWATCH_SLOW_AGE_MS: '2000',
  PINWATCH_HELD_THRESHOLD: '10',
  PINWATCH_HELD_AGE_MS: '4000',
  PINWATCH_GROWING_MIN: '20',
  PINWATCH_GC_SETTLE_MS: '200',
  PINWATCH_CLOSE_GRACE_MS: '1000',
};

interface RunResult {
  statuses: NodeStatus[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Args {
  seconds: number;
  summaryFile: string;
}

/**
 * `npm run demo`: runs the simulated node twice side by side, once as it is and once
 * under `--require pinwatch/register` with PINWATCH=1, then says what each run showed.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args === null) {
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  const root = resolve(__dirname, '..', '..');
  const folder = mkdtempSync(join(tmpdir(), 'pinwatch-demo-'));
  const reportFile = join(folder, 'report.jsonl');
  console.log(
    `pinwatch demo: a simulated node with ${CONSUMERS.length} consumers runs for ` +
      `${args.seconds} s, twice at once: without pinwatch, and with PINWATCH=1.\n`,
  );
  console.log('  time   best  final   pinned blocks (without / with)   heap MB (without / with)');
  const progress = new Progress();
  const [off, on] = await Promise.all([
    runNode(root, args.seconds, {}, (status) => progress.off(status)),
    runNode(root, args.seconds, { PINWATCH: '1', PINWATCH_REPORT_FILE: reportFile }, (s) =>
      progress.on(s),
    ),
  ]);
  const verdicts = readVerdicts(reportFile);
  printWithout(off);
  printWith(on, verdicts);
  printCost(off, on);
  if (args.summaryFile !== '') {
    const summary = { seconds: args.seconds, verdicts, off: off.statuses, on: on.statuses };
    writeFileSync(args.summaryFile, JSON.stringify(summary, null, 2));
  }
  rmSync(folder, { recursive: true, force: true });
  if (off.code !== 0 || on.code !== 0) {
    console.log(`\nA node run failed (without: ${describeExit(off)}, with: ${describeExit(on)}).`);
    process.exitCode = 1;
  }
}

function parseArgs(argv: string[]): Args | null {
  const args: Args = {
    seconds: Number(process.env.DEMO_SECONDS ?? 20),
    summaryFile: process.env.DEMO_SUMMARY_FILE ?? '',
  };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--seconds' && value !== undefined) args.seconds = Number(value);
    else if (argv[i] === '--summary-file' && value !== undefined) args.summaryFile = value;
    else return null;
    i++;
  }
  if (!Number.isFinite(args.seconds) || args.seconds < 2 || args.seconds > 3600) {
    process.stderr.write(`--seconds must be a number from 2 to 3600, got ${args.seconds}\n`);
    return null;
  }
  return args;
}

function runNode(
  root: string,
  seconds: number,
  env: Record<string, string>,
  onStatus: (status: NodeStatus) => void,
): Promise<RunResult> {
  const entry = join(root, 'dist', 'examples', 'node', 'main.js');
  const register = join(root, 'dist', 'src', 'main', 'register.js');
  const child = spawn(process.execPath, ['--enable-source-maps', '--require', register, entry], {
    cwd: root,
    env: { ...process.env, PINWATCH: '', ...AGENT_ENV, ...env, DEMO_SECONDS: String(seconds) },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: (seconds + 30) * 1000,
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const status of parseStatus(lines.join('\n'), STATUS_PREFIX)) onStatus(status);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      done({ statuses: parseStatus(stdout, STATUS_PREFIX), stderr, code, signal });
    });
  });
}

/** Prints a progress line each time both runs have reported the same second. */
class Progress {
  readonly #off: NodeStatus[] = [];
  readonly #on: NodeStatus[] = [];

  off(status: NodeStatus): void {
    this.#off.push(status);
    this.#print();
  }

  on(status: NodeStatus): void {
    this.#on.push(status);
    this.#print();
  }

  #print(): void {
    while (this.#off.length > 0 && this.#on.length > 0) {
      const off = this.#off.shift() as NodeStatus;
      const on = this.#on.shift() as NodeStatus;
      if (off.final || on.final) continue;
      console.log(
        `  ${pad(Math.round(on.t), 3)} s ${pad(on.best, 6)} ${pad(on.finalized, 6)}` +
          `   ${pad(off.pinned, 13)} / ${String(on.pinned).padEnd(14)}` +
          `   ${pad(off.heapMb.toFixed(1), 7)} / ${on.heapMb.toFixed(1)}`,
      );
    }
  }
}

function printWithout(run: RunResult): void {
  const first = run.statuses[0];
  const last = run.statuses[run.statuses.length - 1];
  if (first === undefined || last === undefined) return;
  console.log('\nWithout pinwatch:');
  console.log(
    `  pinned blocks went from ${first.pinned} to ${last.pinned}; the store keeps ` +
      `${last.deferred} blocks it wanted to prune; ${last.streams} streams are open; ` +
      `heap ${first.heapMb} -> ${last.heapMb} MB.`,
  );
  const ownLines = run.stderr.split('\n').filter((line) => line.trim() !== '');
  for (const line of ownLines.slice(0, 5)) console.log(`  ${line}`);
  console.log('  Something keeps blocks pinned, and nothing says what.');
}

function printWith(run: RunResult, verdicts: ConsumerVerdict[]): void {
  console.log('\nWith pinwatch (the first report about each culprit, from stderr):');
  for (const block of firstBlockPerConsumer(run.stderr)) console.log(indent(block));
  console.log('\nCulprits, from the report file:');
  for (const verdict of verdicts.filter((v) => !v.healthy)) {
    const info = CONSUMERS.find((consumer) => consumer.name === verdict.name);
    const found =
      verdict.sites.length === 0
        ? 'not reported in this run'
        : `${verdict.kinds.join(', ')} in ${verdict.streams} stream` +
          `${verdict.streams === 1 ? '' : 's'} created at ${verdict.sites.join(', ')}`;
    console.log(`  ${verdict.name.padEnd(17)} ${found}`);
    console.log(`  ${''.padEnd(17)} (${info?.behaviour ?? ''})`);
  }
  const healthy = verdicts.filter((v) => v.healthy);
  const named = healthy.filter((v) => v.named).map((v) => v.name);
  console.log(
    named.length === 0
      ? `  Never named: ${healthy.map((v) => v.name).join(', ')} (the healthy consumers).`
      : `  Healthy consumers named by mistake: ${named.join(', ')}.`,
  );
  const missing = verdicts.filter((v) => !v.healthy && v.sites.length === 0);
  if (missing.length > 0) {
    console.log(
      '  Held notifications count only after a full GC, which V8 runs when it sees fit; ' +
        'a longer run (--seconds 30) gives it time.',
    );
  }
}

function printCost(off: RunResult, on: RunResult): void {
  const a = off.statuses.find((status) => status.final);
  const b = on.statuses.find((status) => status.final);
  if (a?.cpuMs === undefined || b?.cpuMs === undefined) return;
  const percent = a.cpuMs > 0 ? Math.round(((b.cpuMs - a.cpuMs) / a.cpuMs) * 100) : 0;
  console.log(
    `\nWhat the agent cost (whole process, both runs side by side on this machine): CPU ` +
      `${a.cpuMs} -> ${b.cpuMs} ms (${percent >= 0 ? '+' : ''}${percent}%), max RSS ` +
      `${a.maxRssMb} -> ${b.maxRssMb} MB, event-loop delay p99 ${a.loopP99Ms} -> ` +
      `${b.loopP99Ms} ms, full GCs ${a.majorGcs} -> ${b.majorGcs}.`,
  );
}

function describeExit(run: RunResult): string {
  return run.signal !== null ? `signal ${run.signal}` : `exit code ${run.code}`;
}

function pad(value: number | string, width: number): string {
  return String(value).padStart(width);
}

function indent(block: string): string {
  return block
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

void main();
