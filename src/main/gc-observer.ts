import { PerformanceObserver, constants, performance } from 'node:perf_hooks';

/**
 * Watches the host's full garbage collections. The worker needs to know when one has run:
 * only holdings that survive it are real, the rest may simply be waiting for it.
 */
export function observeGc(onMajorGc: (endedAtMs: number) => void): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      // Observers hear of a GC only when the loop turns, often tens of ms later; the
      // worker needs when it really ended (Date.now() clock, shared by every thread).
      onMajorGc(performance.timeOrigin + entry.startTime + entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
