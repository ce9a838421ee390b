import workerThreads from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';

const captured: Worker[] = [];

/**
 * Keeps every Worker created from now on, so a benchmark can weigh the agent's own
 * thread. The agent keeps its worker private; this swaps the module's Worker class for a
 * subclass that remembers instances. For benchmarks only, and before the agent starts.
 */
export function captureWorkers(): void {
  const Original = workerThreads.Worker;
  class Captured extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      captured.push(this);
    }
  }
  workerThreads.Worker = Captured;
}

/** The workers created since captureWorkers(), newest last. */
export function capturedWorkers(): readonly Worker[] {
  return captured;
}

interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[] } };
  nodes: number[];
}

/**
 * Live JS heap of a worker, in bytes: the sum of self sizes in a heap snapshot of it
 * (what DevTools shows as the total). Takes the worker's snapshot off the host's thread.
 */
export async function workerHeapBytes(worker: Worker): Promise<number> {
  const chunks: string[] = [];
  // Node 20 crashes (SIGSEGV) taking a snapshot of an unref'd worker, as the agent's is.
  worker.ref();
  try {
    const stream = await worker.getHeapSnapshot();
    stream.setEncoding('utf8');
    for await (const chunk of stream) chunks.push(chunk as string);
  } finally {
    worker.unref();
  }
  const parsed = JSON.parse(chunks.join('')) as HeapSnapshotJson;
  const fields = parsed.snapshot.meta.node_fields;
  const sizeAt = fields.indexOf('self_size');
  let total = 0;
  for (let i = sizeAt; i < parsed.nodes.length; i += fields.length) total += parsed.nodes[i];
  return total;
}
