import type { Finding } from './finding';

/** Totals for one label (finality, import, or a custom one). */
export interface LabelTotals {
  streams: number;
  open: number;
  delivered: number;
  queued: number;
  held: number;
  live: number;
}

/** Counts of what the worker could not apply as sent. Never reset. */
export interface Anomalies {
  /** Records with an Op this build does not know. */
  unknownOps: number;
  /** Records naming an impossible slot or stream id, or a bad string. */
  rejected: number;
  /** Records about a slot in the wrong state (a release after the slot was freed, ...). */
  staleSlots: number;
  /** Records about streams whose open record never arrived. */
  unknownStreams: number;
  /** Records the host dropped because the worker lagged, by Op. */
  dropped: number[];
  droppedTotal: number;
}

/** The data `snapshot()` returns: the current state, as the last scan would judge it. */
export interface Snapshot {
  time: string;
  appliedSeq: number;
  recordsApplied: number;
  streams: Array<{
    stream: number;
    label: string;
    site: string;
    delivered: number;
    queued: number;
    held: number;
    live: number;
    closed: boolean;
    closedBy: 'explicit' | 'gc' | null;
  }>;
  findings: Finding[];
  labels: Record<string, LabelTotals>;
  pinnedKeys: number;
  pinLimit: number;
  evicted: number;
  awaitingGc: number;
  anomalies: Anomalies;
  /** The pinning worker's own memory: its V8 heap in use, and its table sizes. */
  agent: {
    heapUsedBytes: number;
    streamsTracked: number;
    slotCapacity: number;
    recordsApplied: number;
  };
}
