import type * as Pinwatch from '../src/main/index';

/**
 * The app the start-up benchmark launches: it does nothing, or with `track` it tracks one
 * async iterable and reads it, which starts the agent's worker when tracking is on.
 */
async function main(): Promise<void> {
  if (!process.argv.includes('track')) return;
  // Loaded only in this mode, so the other modes measure the preload alone.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { track } = require('../src/main/index') as typeof Pinwatch;
  async function* ticks(): AsyncGenerator<{ hash: string }> {
    yield { hash: '0x01' };
  }
  for await (const tick of track(ticks(), { label: 'startup' })) void tick;
}

void main();
