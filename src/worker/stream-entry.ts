/** The worker's row for one stream. Counters only grow; queued and held are current. */
export interface StreamEntry {
  readonly id: number;
  label: string;
  /** Raw creation frames, one `function\tfile\tline\tcolumn` per line. */
  stack: string;
  createdAt: number;
  /** 0 while open. */
  closedAt: number;
  closedByGc: boolean;
  /** Major GCs seen before the close, to know when one has happened since. */
  majorGcsAtClose: number;
  /** Its notifications offer release() / dispose (so a GC-only release is a smell). */
  explicitRelease: boolean;
  /** Hold is followed past consumption (else consumption counts as release). */
  tracksHold: boolean;
  /** One in this many taken notifications is followed to its release. */
  sampleEvery: number;
  /** Seen only through later records: its open record was lost or predates the worker. */
  unknown: boolean;
  delivered: number;
  consumed: number;
  /** Released explicitly, or at consumption when hold is not followed. */
  released: number;
  collected: number;
  /** Collected by GC although the stream offers an explicit release. */
  collectedUnreleased: number;
  queued: number;
  held: number;
  /** Live count (queued plus confirmed held) at each recent scan, newest last. */
  liveHistory: number[];
  /** Per finding kind, the live count when it was last reported. */
  reported: Map<string, number>;
}

export function createStreamEntry(id: number, now: number): StreamEntry {
  return {
    id,
    label: 'unknown',
    stack: '',
    createdAt: now,
    closedAt: 0,
    closedByGc: false,
    majorGcsAtClose: 0,
    explicitRelease: false,
    tracksHold: false,
    sampleEvery: 1,
    unknown: true,
    delivered: 0,
    consumed: 0,
    released: 0,
    collected: 0,
    collectedUnreleased: 0,
    queued: 0,
    held: 0,
    liveHistory: [],
    reported: new Map(),
  };
}
