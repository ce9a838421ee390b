import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run soak [-- --seconds N]`: runs benchmarks/soak-host under the preload for a few
 * minutes, samples host heap, agent heap and RSS every second, and writes
 * benchmarks/SOAK.md and benchmarks/soak.json. Memory must level off: the last third of
 * the run may not sit well above the middle third.
 */
interface Sample {
  t: number;
  blocks: number;
  delivered: number;
  hostHeapMb: number;
  rssMb: number;
  agentHeapMb: number | null;
  agentStreams: number | null;
  agentSlots: number | null;
  dropped: number | null;
  pinned: number;
}

const ROOT = resolve(__dirname, '..', '..');
/** The last third's median may exceed the middle third's by this factor and still be flat. */
const FLAT_FACTOR = 1.25;

function argSeconds(): number {
  const at = process.argv.indexOf('--seconds');
  const value = at >= 0 ? Number(process.argv[at + 1]) : 180;
  if (!Number.isInteger(value) || value < 10) {
    process.stderr.write(
      `--seconds must be an integer of at least 10, got ${process.argv[at + 1]}\n`,
    );
    process.exit(2);
  }
  return value;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function run(seconds: number): Promise<Sample[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', join(ROOT, 'dist/src/main/register.js'), join(__dirname, 'soak-host.js')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PINWATCH: '1',
          PINWATCH_LOG: 'error',
          SOAK_SECONDS: String(seconds),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const samples: Sample[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{')) samples.push(JSON.parse(line) as Sample);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(samples);
      else reject(new Error(`the soak host exited with ${code}`));
    });
  });
}

function verdict(samples: Sample[], pick: (s: Sample) => number | null) {
  const values = samples.map(pick).filter((v): v is number => v !== null);
  const third = Math.floor(values.length / 3);
  const middle = median(values.slice(third, 2 * third));
  const last = median(values.slice(2 * third));
  return { middle, last, flat: last <= middle * FLAT_FACTOR };
}

async function main(): Promise<void> {
  const seconds = argSeconds();
  const samples = await run(seconds);
  const end = samples.at(-1);
  if (samples.length < 9 || end === undefined) throw new Error('too few samples to judge');
  const checks = {
    hostHeapMb: verdict(samples, (s) => s.hostHeapMb),
    agentHeapMb: verdict(samples, (s) => s.agentHeapMb),
    rssMb: verdict(samples, (s) => s.rssMb),
  };
  const flat = Object.values(checks).every((check) => check.flat);
  const machine =
    `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ` +
    `${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
  writeFileSync(
    join(ROOT, 'benchmarks', 'soak.json'),
    JSON.stringify({ seconds, machine, checks, samples }, null, 1),
  );
  const rows = Object.entries(checks).map(([name, check]) => {
    const word = check.flat ? 'flat' : '**grows**';
    return `| ${name} | ${check.middle.toFixed(1)} | ${check.last.toFixed(1)} | ${word} |`;
  });
  const every = Math.max(1, Math.floor(samples.length / 12));
  const series = samples
    .filter((_, index) => index % every === 0 || index === samples.length - 1)
    .map(
      (s) =>
        `| ${s.t} | ${s.blocks} | ${s.delivered} | ${s.hostHeapMb.toFixed(1)} | ` +
        `${s.agentHeapMb?.toFixed(1) ?? '-'} | ${s.rssMb.toFixed(0)} | ` +
        `${s.agentStreams ?? '-'} | ${s.dropped ?? '-'} | ${s.pinned} |`,
    );
  const text = [
    '# Soak',
    '',
    'Written by `npm run soak` (benchmarks/soak.ts); nothing here is edited by hand.',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${machine}`,
    `- Run: ${seconds} s of benchmarks/soak-host under \`--require pinwatch/register\`, ` +
      'PINWATCH=1: blocks every 2 ms in ticks, a healthy finality consumer, four hub ' +
      'consumers and two tracked async iterables that open and close streams without ' +
      'pause, and an emitter listener added and removed every tick.',
    `- Verdict: ${flat ? 'memory levels off' : 'memory grows'} (last third's median within ` +
      `${FLAT_FACTOR}x of the middle third's).`,
    '',
    '| Memory (MB) | Middle third median | Last third median | |',
    '|---|---:|---:|---|',
    ...rows,
    '',
    '| t (s) | Blocks | Delivered | Host heap MB | Agent heap MB | RSS MB | Streams in agent ' +
      '| Dropped | Pinned blocks |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...series,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'benchmarks', 'SOAK.md'), text);
  process.stdout.write(`${text}\n`);
  if (!flat) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${String(error)}\n`);
  process.exitCode = 1;
});
