import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Section } from './section';
import type { SuiteResults } from './results-file';
import { describeMachine, writeResults } from './results-file';
import { readSubjectOptions } from './subject';

/** Every subject, in the order of the results page; each is `<name>.bench.js`. */
const SUBJECTS = [
  'host-cost',
  'transport',
  'worker',
  'event-loop',
  'memory',
  'time-to-answer',
  'heap-snapshot',
  'startup',
];

const ROOT = resolve(__dirname, '..', '..');

interface RunnerOptions {
  quick: boolean;
  heapSnapshotFull: boolean;
  only: string[];
  resultsDir: string;
}

function readRunnerOptions(argv: string[]): RunnerOptions {
  const valueOf = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? (argv[index + 1] ?? '') : '';
  };
  const only = valueOf('--only');
  const { quick, heapSnapshotFull } = readSubjectOptions(argv);
  return {
    quick,
    heapSnapshotFull,
    only: only === '' ? [] : only.split(','),
    resultsDir: valueOf('--results-dir') || join(ROOT, 'benchmarks'),
  };
}

/** Runs one subject in a child process of its own and reads back its section. */
function runOne(subject: string, options: RunnerOptions, scratch: string): Section {
  const out = join(scratch, `${subject}.json`);
  const args = ['--expose-gc', join(__dirname, `${subject}.bench.js`), '--out', out];
  if (options.quick) args.push('--quick');
  if (options.heapSnapshotFull) args.push('--heap-snapshot-full');
  const timeoutMs = options.heapSnapshotFull ? 1_800_000 : options.quick ? 90_000 : 420_000;
  const started = Date.now();
  const child = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PINWATCH: '', NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  const failure = (reason: string): Section => ({
    subject,
    title: subject,
    method: '',
    rows: [],
    notes: [],
    seconds,
    error: reason,
  });
  if (child.status !== 0) {
    // A native crash prints its reason first and a stack after: keep both ends.
    const lines = String(child.stderr ?? '')
      .trim()
      .split('\n');
    const tail = [...lines.slice(0, 3), ...lines.slice(3).slice(-1)].join(' / ');
    const how = child.signal ? `killed by ${child.signal}` : `exit code ${child.status}`;
    return failure(`${how}${tail ? `: ${tail}` : ''}`);
  }
  try {
    return { ...(JSON.parse(readFileSync(out, 'utf8')) as Section), seconds };
  } catch (error) {
    return failure(`no readable results (${(error as Error).message})`);
  }
}

async function main(): Promise<void> {
  const options = readRunnerOptions(process.argv.slice(2));
  const subjects =
    options.only.length > 0 ? SUBJECTS.filter((s) => options.only.includes(s)) : SUBJECTS;
  const machine = describeMachine();
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'pinwatch-bench-'));
  const sections: Section[] = [];
  try {
    for (const subject of subjects) {
      process.stdout.write(`${subject} ... `);
      const section = runOne(subject, options, scratch);
      sections.push(section);
      const outcome = section.error === undefined ? 'done' : `FAILED (${section.error})`;
      process.stdout.write(`${outcome}, ${Math.round(section.seconds ?? 0)} s\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const results: SuiteResults = {
    date: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'full',
    command: `node dist/benchmarks/run.js ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    seconds: (Date.now() - started) / 1000,
    sections,
  };
  // A quick run never overwrites the full results.
  const suffix = options.quick ? '-quick' : '';
  const markdown = join(options.resultsDir, `RESULTS${suffix}.md`);
  const json = join(options.resultsDir, `results${suffix}.json`);
  await writeResults(results, markdown, json);
  process.stdout.write(`results written to ${markdown} and ${json}\n`);
  if (sections.some((section) => section.error !== undefined)) process.exitCode = 1;
}

void main();
