import { isMainThread } from 'node:worker_threads';
import { isRequested } from './state';

/**
 * What the preload does once PINWATCH is on: note that tracking is wanted, so the agent
 * starts with the first tracked stream. The host's own worker threads are left alone.
 */
export function install(): void {
  if (!isMainThread) return;
  isRequested();
}
