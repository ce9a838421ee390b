import { PerformanceObserver, constants } from 'node:perf_hooks';

/**
 * Watches the host's garbage collections. The worker needs to know when a full GC has
 * run: only holdings that survive one are real, the rest may simply be waiting for it.
 */
export function observeGc(onGc: (major: boolean) => void): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) onGc(true);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
