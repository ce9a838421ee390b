import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Row, Section } from './section';
import type { SubjectOptions } from './subject';
import { snapshot, stop } from '../src/main/index';
import { specFor } from '../src/main/options';
import { currentAgent } from '../src/main/state';
import { startQuietAgent } from './agent-control';
import { collectGarbage } from './harness';
import { spreadOf } from './stats';
import { runSubject } from './subject';
import { blockAt } from './workload';
import { captureWorkers, capturedWorkers, workerHeapBytes } from './worker-heap';

/** Notifications per stream: streams open and close all the time. */
const PER_STREAM = 100;
/** Notifications between waits for the worker, so the load is sustained, not dropped. */
const CHUNK = 16_384;
const MB = 1024 * 1024;

interface Checkpoint {
  notifications: number;
  hostHeapMb: number;
  rssMb: number;
  streamsInTable: number;
  workerHeapMb: number | null;
}

async function settle(): Promise<void> {
  collectGarbage();
  await nextTurn();
  await nextTurn();
  await snapshot();
}

/**
 * 10 million notifications (1 million quick) over streams of 100 that open, deliver with
 * GC tracking and close, with checkpoints after a full GC and a drained worker.
 */
async function measure(options: SubjectOptions): Promise<Section> {
  captureWorkers();
  startQuietAgent(options.quick ? 200 : 1000);
  const agent = currentAgent();
  const worker = capturedWorkers().at(-1);
  if (agent === null || worker === undefined) throw new Error('the agent or its worker is missing');
  const total = options.quick ? 1_000_000 : 10_000_000;
  const every = total / 10;
  // Warm-up is the first half: tables and free lists reach their high-water marks there.
  const warmAt = 5 * every;
  const weighAt = new Set([warmAt, total]);
  const checkpoints: Checkpoint[] = [];
  let stream = agent.tracker.openStream(
    specFor({ label: 'bench-churn', gc: true }, agent.settings),
  );
  for (let n = 1; n <= total; n++) {
    stream.deliverConsumed(blockAt(n));
    if (n % PER_STREAM === 0) {
      stream.close();
      stream = agent.tracker.openStream(
        specFor({ label: 'bench-churn', gc: true }, agent.settings),
      );
    }
    if (n % CHUNK === 0) await snapshot();
    if (n % every !== 0) continue;
    await settle();
    // A scan drops the closed, empty streams from the worker's table; let one run.
    await new Promise((resolve) => setTimeout(resolve, agent.settings.intervalMs + 100));
    const seen = await snapshot();
    checkpoints.push({
      notifications: n,
      hostHeapMb: process.memoryUsage().heapUsed / MB,
      rssMb: process.memoryUsage().rss / MB,
      streamsInTable: seen?.streams.length ?? -1,
      workerHeapMb: weighAt.has(n) ? (await workerHeapBytes(worker)) / MB : null,
    });
  }
  stream.close();
  const dropped = agent.tracker.recorder.droppedTotal;
  await stop();

  const warm = checkpoints[4];
  const last = checkpoints[checkpoints.length - 1];
  const after = checkpoints.slice(4);
  const rows: Row[] = [];
  const growth = (pick: (c: Checkpoint) => number) => pick(last) - pick(warm);
  const workerGrowth = (last.workerHeapMb ?? NaN) - (warm.workerHeapMb ?? NaN);
  rows.push(
    {
      measure: `agent worker heap at ${warm.notifications} notifications (after warm-up)`,
      unit: 'MB',
      value: spreadOf([warm.workerHeapMb ?? NaN]),
    },
    {
      measure: `agent worker heap at ${last.notifications} notifications`,
      unit: 'MB',
      value: spreadOf([last.workerHeapMb ?? NaN]),
    },
    {
      measure: 'agent worker heap growth after warm-up',
      unit: 'MB',
      value: spreadOf([workerGrowth]),
      goal: 'flat (< 2 MB)',
      met: workerGrowth < 2,
    },
    {
      measure: 'host main-thread heap after GC, over checkpoints after warm-up',
      unit: 'MB',
      value: spreadOf(after.map((c) => c.hostHeapMb)),
    },
    {
      measure: 'host main-thread heap growth after warm-up',
      unit: 'MB',
      value: spreadOf([growth((c) => c.hostHeapMb)]),
      goal: 'flat (< 2 MB)',
      met: growth((c) => c.hostHeapMb) < 2,
    },
    {
      measure: 'process RSS over checkpoints after warm-up',
      unit: 'MB',
      value: spreadOf(after.map((c) => c.rssMb)),
    },
    {
      measure: 'process RSS growth after warm-up',
      unit: 'MB',
      value: spreadOf([growth((c) => c.rssMb)]),
      goal: 'levels off (< 10% of RSS)',
      met: growth((c) => c.rssMb) < 0.1 * warm.rssMb,
    },
    {
      measure: 'streams in the worker table at the checkpoints',
      unit: 'streams',
      value: spreadOf(after.map((c) => c.streamsInTable)),
    },
  );
  const curve = (pick: (c: Checkpoint) => number) =>
    checkpoints.map((c) => `${c.notifications / 1e6}M: ${pick(c).toFixed(0)}`).join(', ');
  return {
    subject: 'memory',
    title: 'Agent memory under stream churn',
    method:
      `${total} notifications (fresh objects, GC tracking) over streams of ${PER_STREAM} ` +
      `that open and close all the time (${total / PER_STREAM} streams), delivered in ` +
      `chunks of ${CHUNK} with a wait for the worker after each. At every tenth: gc(), ` +
      'drained worker, one scan; the worker heap is weighed from a heap snapshot of the ' +
      "agent's thread at the warm-up checkpoint (half-way) and at the end. One run.",
    rows,
    notes: [
      `RSS curve (MB): ${curve((c) => c.rssMb)}.`,
      `Host heap curve (MB): ${curve((c) => c.hostHeapMb)}.`,
      `${dropped} records dropped (COLLECTED bursts after major GCs exceed the buffer pool).`,
    ],
  };
}

runSubject(measure);
