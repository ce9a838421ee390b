import { EventEmitter } from 'node:events';
import { InMemoryBackend, NotificationHub, snapshot, track } from '../src/main/index';

/**
 * The soak's host: a node-like process under the preload that imports and finalizes blocks
 * fast, with long-lived healthy consumers and consumers that open and close streams all the
 * time (hub streams, tracked async iterables, emitter listeners). Every second it prints a
 * JSON sample of the host's and the agent's memory.
 */
interface Header {
  hash: string;
  number: number;
  parentHash: string;
  body: number[];
}

const seconds = Number(process.env.SOAK_SECONDS ?? 180);
const blocksPerTick = Number(process.env.SOAK_BLOCKS_PER_TICK ?? 20);
const backend = new InMemoryBackend({ limit: 1024 });
const hub = new NotificationHub<Header>({ backend });
const announcer = track(new EventEmitter(), { event: 'block', label: 'import' });
let number = 0;
let delivered = 0;

function header(n: number): Header {
  return {
    hash: `0x${n.toString(16).padStart(64, '0')}`,
    number: n,
    parentHash: `0x${(n - 1).toString(16).padStart(64, '0')}`,
    body: new Array<number>(64).fill(n),
  };
}

async function healthyFinality(): Promise<void> {
  for await (const notification of hub.finalityNotificationStream()) {
    delivered++;
    notification.release();
  }
}

/** Opens a stream, reads a few notifications, closes it, forever. */
async function churnHub(): Promise<void> {
  for (;;) {
    let taken = 0;
    for await (using notification of hub.importNotificationStream()) {
      delivered += notification.header.number > 0 ? 1 : 0;
      if (++taken === 5) break;
    }
  }
}

async function* heads(from: number, count: number): AsyncGenerator<Header> {
  for (let i = 0; i < count; i++) {
    yield header(from + i);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function churnIterables(): Promise<void> {
  for (;;) {
    for await (const head of track(heads(number, 8), { label: 'finality' })) {
      delivered += head.number >= 0 ? 1 : 0;
    }
  }
}

function churnListeners(): void {
  const listener = (head: Header): void => {
    delivered += head.number >= 0 ? 1 : 0;
  };
  announcer.on('block', listener);
  setTimeout(() => announcer.off('block', listener), 5).unref();
}

function produce(): void {
  for (let i = 0; i < blocksPerTick; i++) {
    number++;
    const head = header(number);
    hub.notifyImported(head, { origin: 'network-broadcast', isNewBest: true });
    announcer.emit('block', head);
    if (number > 3) hub.notifyFinalized(header(number - 3));
  }
  churnListeners();
}

async function sample(startedAt: number): Promise<void> {
  const memory = process.memoryUsage();
  const snap = await snapshot();
  const line = {
    t: Math.round((Date.now() - startedAt) / 1000),
    blocks: number,
    delivered,
    hostHeapMb: memory.heapUsed / 2 ** 20,
    rssMb: memory.rss / 2 ** 20,
    agentHeapMb: snap ? snap.agent.heapUsedBytes / 2 ** 20 : null,
    agentStreams: snap ? snap.agent.streamsTracked : null,
    agentSlots: snap ? snap.agent.slotCapacity : null,
    dropped: snap ? snap.anomalies.droppedTotal : null,
    pinned: backend.pinnedCount,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  void healthyFinality();
  for (let i = 0; i < 4; i++) void churnHub();
  for (let i = 0; i < 2; i++) void churnIterables();
  const producer = setInterval(produce, 2);
  const sampler = setInterval(() => void sample(startedAt), 1000);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  clearInterval(producer);
  clearInterval(sampler);
  await sample(startedAt);
  process.exit(0);
}

void main();
