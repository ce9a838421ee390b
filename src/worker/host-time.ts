import { TIME_SPLIT } from '../shared/protocol';

/** How far in the past a time from the host is believed; older or future ones mean now. */
const TRUST_MS = 60_000;

/** A host time (a GC's end, a close) from its two halves, or `now` when absent or implausible. */
export function hostTime(high: number, low: number, now: number): number {
  const at = high * TIME_SPLIT + low;
  return at > 0 && at <= now && now - at < TRUST_MS ? at : now;
}
