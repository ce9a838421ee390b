import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Row, Section } from './section';
import type { SubjectOptions } from './subject';
import { start, stop } from '../src/main/index';
import { specFor } from '../src/main/options';
import { currentAgent } from '../src/main/state';
import { collectGarbage, sleep } from './harness';
import { isBelow } from './section';
import { spreadOf } from './stats';
import { runSubject } from './subject';
import { blockAt } from './workload';

const INTERVAL_MS = 250;
/** The app's major GCs: one right as the leak begins, then this often. */
const GC_EVERY_MS = 100;
/** A leak not found within this many intervals counts as not found. */
const GIVE_UP_INTERVALS = 20;

/** Whether the report file holds a leak finding for `stream`. */
function hasLeakFinding(file: string, stream: number): boolean {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const record = JSON.parse(line) as { type?: string; kind?: string; stream?: number };
      if (record.type === 'finding' && record.kind === 'leak' && record.stream === stream) {
        return true;
      }
    } catch {
      // A line being written; read again on the next poll.
    }
  }
  return false;
}

/**
 * A leak begins: a stream closes while its consumer still keeps what it was given. The
 * app's major GCs run at once and then every 100 ms (here, gc()); the report file is
 * polled until the leak finding for that stream is there.
 */
async function timeOneLeak(file: string, kept: unknown[]): Promise<number> {
  const agent = currentAgent();
  if (agent === null) throw new Error('the agent is not running');
  const stream = agent.tracker.openStream(specFor({ label: 'leaky', gc: true }, agent.settings));
  for (let i = 0; i < 10; i++) {
    const block = blockAt(i);
    stream.deliverConsumed(block);
    kept.push(block);
  }
  stream.close();
  const began = Date.now();
  let lastGc = 0;
  while (!hasLeakFinding(file, stream.id)) {
    const now = Date.now();
    if (now - began > GIVE_UP_INTERVALS * INTERVAL_MS) return NaN;
    if (now - lastGc >= GC_EVERY_MS) {
      collectGarbage();
      lastGc = now;
    }
    await sleep(5);
  }
  return (Date.now() - began) / INTERVAL_MS;
}

/** Times `repeats` leaks with the given close grace; scan intervals per leak (NaN: lost). */
async function timeLeaks(file: string, repeats: number, closeGraceMs: number | null) {
  const kept: unknown[] = [];
  const intervals: number[] = [];
  const grace = closeGraceMs === null ? {} : { closeGraceMs };
  start({
    intervalMs: INTERVAL_MS,
    gcSettleMs: 50,
    logLevel: 'silent',
    reportFile: file,
    ...grace,
  });
  await sleep(INTERVAL_MS);
  for (let i = 0; i < repeats; i++) {
    intervals.push(await timeOneLeak(file, kept));
    // Start the next leak at another phase of the scan timer.
    await sleep(INTERVAL_MS / repeats + 13);
  }
  await stop();
  return intervals;
}

function leakRow(measure: string, intervals: number[], goal: boolean): Row {
  const found = intervals.filter((value) => Number.isFinite(value));
  const lost = intervals.length - found.length;
  const value = spreadOf(found);
  return {
    measure,
    unit: 'scan intervals',
    value: found.length > 0 ? value : null,
    goal: goal ? 'within 2 intervals' : undefined,
    met: goal ? lost === 0 && isBelow(value, 2.0001) === true : null,
    note: lost > 0 ? `not measured: ${lost} of ${intervals.length} leaks not found` : undefined,
  };
}

async function measure(options: SubjectOptions): Promise<Section> {
  const repeats = options.quick ? 2 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-bench-'));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let noGrace: number[] = [];
  let defaultGrace: number[] = [];
  try {
    delay.enable();
    noGrace = await timeLeaks(join(dir, 'no-grace.jsonl'), repeats, 0);
    defaultGrace = await timeLeaks(join(dir, 'default.jsonl'), repeats, null);
    delay.disable();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows: Row[] = [
    leakRow('leak start to its finding, closeGraceMs 0 (detection pipeline)', noGrace, true),
    leakRow('leak start to its finding, default close grace', defaultGrace, false),
    {
      measure: 'main thread blocked meanwhile (max event-loop delay, gc() calls included)',
      unit: 'ms',
      value: spreadOf([delay.max / 1e6]),
      goal: 'no snapshot pause (0 s)',
    },
  ];
  return {
    subject: 'time-to-answer',
    title: 'Time to answer: from a leak to its finding',
    method:
      `Scan interval ${INTERVAL_MS} ms, gcSettleMs 50. ${repeats} leaks per setting, each a ` +
      'stream closed while 10 taken notifications are kept; a major GC right after and then ' +
      `every ${GC_EVERY_MS} ms (the app's own); the report file is polled every 5 ms for the ` +
      'leak finding. Leaks start at different phases of the scan timer. The default close ' +
      'grace waits for a GC that late after the close, by design, so that row is bound by ' +
      'the grace, not by the scans.',
    rows,
    notes: [],
  };
}

runSubject(measure);
