/** Version of the JSON line schema; bump on any incompatible change. */
export const SCHEMA_VERSION = 1;

export type FindingKind = 'leak' | 'slow' | 'held' | 'growing' | 'pin-limit' | 'shared';

/** Worst first, when findings are listed. */
export const KIND_SEVERITY: Record<FindingKind, number> = {
  leak: 6,
  'pin-limit': 5,
  growing: 4,
  held: 3,
  slow: 2,
  shared: 1,
};

/** Another stream named by a finding (a sharer or a holder). */
export interface StreamRef {
  stream: number;
  label: string;
  site: string;
  /** Notifications or pinned keys it accounts for, where that applies. */
  count?: number;
}

/** One finding, as printed and as written to the report file (one JSON line each). */
export interface Finding {
  v: number;
  time: string;
  kind: FindingKind;
  /** Stream id; 0 for findings about the process as a whole (pin-limit). */
  stream: number;
  label: string;
  message: string;
  delivered: number;
  queued: number;
  held: number;
  live: number;
  closed: boolean;
  closedBy: 'explicit' | 'gc' | null;
  /** Age of the stream. */
  ageMs: number;
  /** Age of its oldest live notification. */
  oldestAgeMs: number;
  oldestKey: string;
  site: string;
  stack: string[];
  /** Notifications collected by GC although the stream offers explicit release. */
  collectedUnreleased: number;
  /** Held counts are estimated from one in `sampleEvery` notifications. */
  sampleEvery: number;
  /**
   * With sampling, the held count's standard error: sampleEvery x sqrt(sampled held), as
   * for a count of rare events; 0 when every notification is followed.
   */
  heldError: number;
  /** Streams that received the same objects (shared findings), or key holders (pin-limit). */
  sharedWith?: StreamRef[];
  holders?: StreamRef[];
  pinnedKeys?: number;
  pinLimit?: number;
  evicted?: number;
}
