import type { TrackOptions } from '../options';
import type { TargetSpec } from '../targets/target-spec';

/**
 * Built-in targets for the chain clients Node users of Substrate chains use most. Each
 * preset names where the client creates its finality and import streams; the shapes are
 * those of track(): observables for polkadot-api, callback subscriptions for @polkadot/api.
 */
const PRESETS: Record<string, () => TargetSpec[]> = {
  'polkadot-api': () => [
    {
      module: 'polkadot-api',
      exportPath: ['createClient'],
      returns: properties({
        finalizedBlock$: { label: 'finality' },
        blocks$: { label: 'import' },
        // Each value is the list of best blocks, best first: its key is the best block.
        bestBlocks$: { label: 'import', key: firstHash },
      }),
      origin: 'preset polkadot-api',
    },
  ],
  '@polkadot/api': () => {
    const heads = properties({
      'chain.subscribeFinalizedHeads': { label: 'finality' },
      'chain.subscribeNewHeads': { label: 'import' },
      'chain.subscribeAllHeads': { label: 'import' },
    });
    // `rpc` and `derive` are getters on a base class of ApiPromise; their sections are
    // built per instance, so they are wrapped as they are read.
    return ['rpc', 'derive'].map((getter) => ({
      module: '@polkadot/api',
      exportPath: ['ApiPromise', 'prototype', getter],
      returns: heads,
      origin: 'preset @polkadot/api',
    }));
  },
};

/** The targets of the named presets; unknown names were already rejected by the config. */
export function presetTargets(names: readonly string[]): TargetSpec[] {
  return names.flatMap((name) => PRESETS[name]?.() ?? []);
}

function properties(entries: Record<string, TrackOptions>) {
  return { kind: 'properties' as const, properties: new Map(Object.entries(entries)) };
}

function firstHash(value: unknown): unknown {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const first: unknown = value[0];
  return first !== null && typeof first === 'object'
    ? (first as { hash?: unknown }).hash
    : undefined;
}
