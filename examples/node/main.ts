import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';
import { InMemoryBackend, NotificationHub } from '../../src/main/index';
import { runStartupProbe } from '../consumers/closes-but-keeps';
import { runFinalityIndexer } from '../consumers/healthy-finality';
import { runBestBlockTracker } from '../consumers/healthy-import';
import { runBlockExplorer } from '../consumers/hoarder';
import { runArchiver } from '../consumers/slow-under-burst';
import { startMetricsExporter } from '../consumers/stalled';
import { runTransactionTracker } from '../consumers/stream-per-block';
import { BlockStore, type DemoHeader } from './block-store';
import { SimulatedChain } from './chain';
import { STATUS_PREFIX, sleep, type DemoContext } from './demo-context';
import { readNodeSettings } from './node-settings';

/**
 * The simulated node: it imports blocks at a steady rate with forks and re-orgs, with a
 * burst now and then, finalizes with a lag, and serves the consumers in ../consumers. It
 * prints a status line every second and exits after the configured time.
 */
async function main(): Promise<void> {
  const settings = readNodeSettings(process.env);
  const backend = new InMemoryBackend({ limit: settings.pinLimit });
  const hub = new NotificationHub<DemoHeader>({ backend });
  const store = new BlockStore(backend, settings.bodyKb);
  const chain = new SimulatedChain(hub, store, {
    forkEvery: 5,
    reorgEvery: 2,
    finalityLag: 3,
    keepFinalized: 2,
  });
  const context: DemoContext = { hub, store, slowWorkMs: settings.slowWorkMs };
  let majorGcs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  const startedAt = Date.now();
  const status = (final: boolean): void => {
    const memory = process.memoryUsage();
    const line = {
      final,
      t: Math.round((Date.now() - startedAt) / 100) / 10,
      best: chain.bestNumber,
      finalized: chain.finalizedNumber,
      imported: chain.imported,
      reorgs: chain.reorgs,
      pinned: backend.pinnedCount,
      stored: store.size,
      deferred: store.deferredPrunes,
      streams: hub.streamCount,
      heapMb: Math.round(memory.heapUsed / 1e5) / 10,
      rssMb: Math.round(memory.rss / 1e5) / 10,
      majorGcs,
      ...(final ? finalFigures(loopDelay) : {}),
    };
    process.stdout.write(`${STATUS_PREFIX}${JSON.stringify(line)}\n`);
  };

  for (let i = 0; i < settings.initialSyncBlocks; i++) chain.importNext('network-initial-sync');
  void runFinalityIndexer(context);
  void runBestBlockTracker(context);
  startMetricsExporter(context);
  void runBlockExplorer(context);
  void runStartupProbe(context);
  void runTransactionTracker(context);
  void runArchiver(context);

  const statusTimer = setInterval(() => status(false), settings.statusMs);
  const endAt = startedAt + settings.seconds * 1000;
  let nextBurstAt = startedAt + settings.burstEveryMs;
  while (Date.now() < endAt) {
    await sleep(settings.blockMs);
    chain.importNext('network-broadcast');
    chain.finalize();
    if (Date.now() < nextBurstAt) continue;
    nextBurstAt += settings.burstEveryMs;
    // Catching up after a network stall: blocks arrive far faster than usual.
    for (let i = 0; i < settings.burstBlocks; i++) {
      await sleep(settings.burstSpacingMs);
      chain.importNext('network-broadcast');
      chain.finalize();
    }
  }
  clearInterval(statusTimer);
  status(true);
  process.exit(0);
}

function finalFigures(loopDelay: ReturnType<typeof monitorEventLoopDelay>) {
  const cpu = process.cpuUsage();
  return {
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    loopP99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10,
  };
}

void main();
