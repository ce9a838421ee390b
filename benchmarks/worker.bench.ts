import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row, Section } from './section';
import type { SubjectOptions } from './subject';
import { Engine } from '../src/worker/engine';
import { PinningWorker } from '../src/worker/pinning-worker';
import { Log } from '../src/shared/log';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import {
  DELIVERY_CONSUMED,
  Op,
  STREAM_SAMPLE_SHIFT,
  STREAM_TRACKS_HOLD,
} from '../src/shared/protocol';
import { collectGarbage, nowNs } from './harness';
import { BatchWriter, PinLoad } from './record-stream';
import { isAbove, isBelow } from './section';
import { spreadOf } from './stats';
import { runSubject } from './subject';

const STREAMS = 4096;

/** Applies a load's steps to a fresh Engine, timing applyRecords only; M records/s per round. */
function recordsPerSecond(load: PinLoad, rounds: number, stepsPerRound: number): number[] {
  const engine = new Engine(load.liveKeys + 1024);
  const writer = new BatchWriter();
  load.fill(writer);
  const start = Date.now();
  for (const batch of writer.take()) {
    engine.applyRecords(new Int32Array(batch.buffer), batch.length, batch.strings, start);
  }
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    load.steps(writer, stepsPerRound);
    const batches = writer.take();
    collectGarbage();
    const now = Date.now();
    let records = 0;
    const begin = nowNs();
    for (const batch of batches) {
      engine.applyRecords(new Int32Array(batch.buffer), batch.length, batch.strings, now);
      records += batch.length / 4;
    }
    rates.push(records / ((nowNs() - begin) / 1e9) / 1e6);
  }
  if (engine.keys.size !== load.liveKeys || engine.anomalies.staleSlots !== 0) {
    throw new Error(`the load did not stay stationary: ${engine.keys.size} keys pinned`);
  }
  return rates;
}

/**
 * The worker's loop does a scan as one synchronous step, so its longest pause is the
 * longest scanNow(): 100,000 streams with 2 held notifications each, 1% of them closed
 * (leaks, reported with their stacks symbolicated and written to a report file).
 */
function scanPauses(streams: number, scans: number, reportDir: string): number[] {
  const settings = {
    ...DEFAULT_SETTINGS,
    logLevel: 'silent' as const,
    reportFile: join(reportDir, 'report.jsonl'),
    pinLimit: 1 << 20,
  };
  const worker = new PinningWorker(settings, new Log('worker', 'silent'));
  const writer = new BatchWriter();
  // A real compiled file with a source map, so symbolication has work to do.
  writer.defineString(1, 'bench');
  writer.defineString(2, `openStream\t${join(__dirname, 'workload.js')}\t20\t10`);
  const flags = STREAM_TRACKS_HOLD | (1 << STREAM_SAMPLE_SHIFT);
  let slot = 1;
  for (let stream = 1; stream <= streams; stream++) {
    writer.record(Op.STREAM_OPENED, flags, stream, 1, 2);
    writer.record(Op.DELIVERED, DELIVERY_CONSUMED, stream, slot++, 0);
    writer.record(Op.DELIVERED, DELIVERY_CONSUMED, stream, slot++, 0);
    if (stream % 100 === 0) writer.record(Op.STREAM_CLOSED, 0, stream, 0, 0);
  }
  writer.record(Op.GC_OBSERVED, 0, 1, 0, 0);
  const start = Date.now();
  for (const batch of writer.take()) worker.applyBatch(batch, start);
  const pauses: number[] = [];
  for (let i = 0; i < scans; i++) {
    const begin = nowNs();
    worker.scanNow(false, start + 10_000 + i * settings.intervalMs);
    pauses.push((nowNs() - begin) / 1e6);
  }
  worker.stop();
  return pauses;
}

async function measure(options: SubjectOptions): Promise<Section> {
  const quick = options.quick;
  const rounds = quick ? 2 : 5;
  const small = quick ? 8_192 : 65_536;
  const large = quick ? 65_536 : 1_048_576;
  const steps = quick ? 50_000 : 500_000;
  const rows: Row[] = [];
  const loads: Array<[string, PinLoad, number | null]> = [
    [`${small - 1} live keys, each pinned twice`, new PinLoad(small - 1, STREAMS, false), 10],
    [`${large} live keys, each pinned twice`, new PinLoad(large, STREAMS, false), 5],
    [`${small} live keys, a fresh key per notification`, new PinLoad(small, STREAMS, true), null],
  ];
  for (const [name, load, goalMillions] of loads) {
    const rates = spreadOf(recordsPerSecond(load, rounds, steps));
    const goalApplies = !quick && goalMillions !== null;
    rows.push({
      measure: `Engine.applyRecords, ${name}`,
      unit: 'M records/s',
      value: rates,
      goal: goalApplies ? `> ${goalMillions} M/s` : undefined,
      met: goalApplies ? isAbove(rates, goalMillions ?? 0) : null,
    });
    collectGarbage();
  }

  const reportDir = mkdtempSync(join(tmpdir(), 'pinwatch-bench-'));
  try {
    const streams = quick ? 10_000 : 100_000;
    const pauses = scanPauses(streams, rounds + 1, reportDir);
    rows.push(
      {
        measure: `scan pause, ${streams} streams, first scan (${streams / 100} leaks reported)`,
        unit: 'ms',
        value: spreadOf(pauses.slice(0, 1)),
      },
      {
        measure: `scan pause, ${streams} streams, later scans (findings already said)`,
        unit: 'ms',
        value: spreadOf(pauses.slice(1)),
        goal: 'well under the scan interval (60 s default)',
        met: isBelow(spreadOf(pauses), 1000),
      },
    );
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
  return {
    subject: 'worker',
    title: 'Pinning worker: records applied per second, scan pause',
    method:
      `Engine.applyRecords on prebuilt 4096-record batches (as the host sends them), ` +
      `${steps} stationary steps per round over ${STREAMS} streams, gc() before each round, ` +
      `median [min-max] of ${rounds} rounds; pin limit above the live keys so nothing is ` +
      'evicted. Every record counts, STRING_DEFINED included. Scan pause: wall time of one ' +
      'synchronous PinningWorker.scanNow(), which is what the worker loop is blocked for.',
    rows,
    notes: [],
  };
}

runSubject(measure);
