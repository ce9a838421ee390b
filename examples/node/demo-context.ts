import type { NotificationHub } from '../../src/main/index';
import type { BlockStore, DemoHeader } from './block-store';

/** What every consumer of the simulated node gets. */
export interface DemoContext {
  hub: NotificationHub<DemoHeader>;
  store: BlockStore;
  /** Time a slow consumer spends per notification, in ms. */
  slowWorkMs: number;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Status lines start with this, so the demo runner can tell them from anything else. */
export const STATUS_PREFIX = 'DEMO_STATUS ';
