/** One consumer of the simulated node, as the demo names it. */
export interface ConsumerInfo {
  /** Its file under examples/consumers, without `.ts`. */
  name: string;
  healthy: boolean;
  /** What it does wrong (or right), in a few words. */
  behaviour: string;
}

export const CONSUMERS: readonly ConsumerInfo[] = [
  { name: 'healthy-finality', healthy: true, behaviour: 'indexes finalized blocks, `using`' },
  { name: 'healthy-import', healthy: true, behaviour: 'follows the best block, release()' },
  { name: 'stalled', healthy: false, behaviour: 'opened a stream, never reads it' },
  { name: 'hoarder', healthy: false, behaviour: 'keeps every notification in a map' },
  {
    name: 'closes-but-keeps',
    healthy: false,
    behaviour: 'closed its stream, kept the last notifications',
  },
  { name: 'stream-per-block', healthy: false, behaviour: 'a new stream per block, never closed' },
  { name: 'slow-under-burst', healthy: false, behaviour: 'falls behind under a burst of blocks' },
];

const CONSUMER_PATH = /examples[\\/]consumers[\\/]([\w-]+)\.ts:(\d+)/;

/** The consumer and line a site names (`examples/consumers/x.ts:12:5`), or null. */
export function consumerAt(site: string): { name: string; line: number } | null {
  const match = CONSUMER_PATH.exec(site);
  return match === null ? null : { name: match[1], line: Number(match[2]) };
}
