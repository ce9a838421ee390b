import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { Row, Section } from './section';
import type { SubjectOptions } from './subject';
import { collectGarbage, nowNs } from './harness';
import { spreadOf } from './stats';
import { runSubject } from './subject';
import { uniqueHash } from './workload';

const MB = 1024 * 1024;

/** Peak RSS since the last reset, from /proc (Linux); NaN elsewhere. */
function peakRssMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Resets the peak RSS counter (Linux: writing 5 to clear_refs). */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: the peak then covers the whole process life.
  }
}

/** Grows the live heap to about `mb` with small objects and strings, as an app's state. */
function growHeap(retained: object[], mb: number): number {
  let n = retained.length;
  for (;;) {
    for (let i = 0; i < 10_000; i++, n++) {
      retained.push({ hash: uniqueHash(n), number: n, parentHash: uniqueHash(n + 1) });
    }
    if (process.memoryUsage().heapUsed < mb * MB) continue;
    // Garbage counts in heapUsed until a GC: the live heap is what is left after one.
    collectGarbage();
    if (process.memoryUsage().heapUsed >= mb * MB) return process.memoryUsage().heapUsed / MB;
  }
}

/**
 * What heap-snapshot tools make users pay: `v8.writeHeapSnapshot()` blocks the main thread
 * for as long as it writes. Timed at a live heap small enough for the default run; the
 * `--heap-snapshot-full` flag takes the real 200 MB and 800 MB (tens of seconds each).
 */
async function measure(options: SubjectOptions): Promise<Section> {
  const sizes = options.heapSnapshotFull ? [200, 800] : options.quick ? [20] : [50];
  const repeats = options.heapSnapshotFull || options.quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-bench-'));
  const retained: object[] = [];
  const rows: Row[] = [];
  try {
    for (const mb of sizes) {
      const liveMb = growHeap(retained, mb);
      const pauses: number[] = [];
      const peaks: number[] = [];
      let fileMb = 0;
      const rssBefore = process.memoryUsage().rss / MB;
      for (let i = 0; i < repeats; i++) {
        const file = join(dir, `heap-${mb}-${i}.heapsnapshot`);
        resetPeakRss();
        const begin = nowNs();
        writeHeapSnapshot(file);
        pauses.push((nowNs() - begin) / 1e9);
        peaks.push(peakRssMb());
        fileMb = statSync(file).size / MB;
        rmSync(file, { force: true });
      }
      const label = `live heap ${liveMb.toFixed(0)} MB`;
      rows.push(
        {
          measure: `v8.writeHeapSnapshot(), main thread blocked, ${label}`,
          unit: 's',
          value: spreadOf(pauses),
        },
        {
          measure: `peak RSS while writing it (${rssBefore.toFixed(0)} MB before), ${label}`,
          unit: 'MB',
          value: spreadOf(peaks),
        },
        { measure: `snapshot file, ${label}`, unit: 'MB', value: spreadOf([fileMb]) },
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const notes = options.heapSnapshotFull
    ? []
    : [
        'Measured at a smaller heap than the 200 MB and 800 MB of the reference; the pause ' +
          'grows with the heap (about linearly in the reference figures). Not extrapolated ' +
          'here: run with --heap-snapshot-full for the real sizes.',
      ];
  return {
    subject: 'heap-snapshot',
    title: 'For comparison: the main thread blocked by a heap snapshot',
    method:
      `Live heap grown with {hash, number, parentHash} objects (66-char strings), gc(), then ` +
      `v8.writeHeapSnapshot() to a temp file, ${repeats} time(s) per size; pause is the ` +
      'wall time of the call, peak RSS is VmHWM after resetting it through clear_refs.',
    rows,
    notes,
  };
}

runSubject(measure);
