import { PerformanceObserver, constants, performance } from 'node:perf_hooks';

/**
 * Watches the host's full garbage collections. The worker needs to know when one has run:
 * only holdings that survive it are real, the rest may simply be waiting for it.
 *
 * It also needs when the collection began marking. V8 marks incrementally, often over a
 * few hundred milliseconds before the final pause, and whatever was reachable (or newly
 * allocated) during marking survives that collection: a GC that ends after a release but
 * began marking before it proves nothing about the released values. Node reports the start
 * of incremental marking as a `gc` entry of its own kind; a major GC without one before it
 * marked atomically (e.g. `global.gc()`), from its own start.
 */
export function observeGc(
  onMajorGc: (endedAtMs: number, markingStartedAtMs: number) => void,
): () => void {
  let markingStartedAt = Infinity;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      // Observers hear of a GC only when the loop turns, often tens of ms later; the
      // worker needs when it really happened (Date.now() clock, shared by every thread).
      const startedAt = performance.timeOrigin + entry.startTime;
      if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) {
        markingStartedAt = Math.min(markingStartedAt, startedAt);
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        onMajorGc(startedAt + entry.duration, Math.min(markingStartedAt, startedAt));
        markingStartedAt = Infinity;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
