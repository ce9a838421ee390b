import type { KeyEntry } from './key-table';

export const SLOT_FREE = 0;
export const SLOT_QUEUED = 1;
export const SLOT_HELD = 2;

/** The host never hands out more slots than this (see SlotAllocator). */
export const MAX_SLOT = 1 << 22;

/**
 * One row per live notification, in flat typed arrays indexed by the host's slot number:
 * a scan walks a million rows in milliseconds and the table costs ~25 bytes a row.
 */
export class SlotTable {
  /** Owning stream id. Reset to 0 when the slot is freed. */
  stream = new Int32Array(1024);
  /** SLOT_FREE, SLOT_QUEUED or SLOT_HELD. */
  state = new Uint8Array(1024);
  /** When the slot entered its current state (ms, worker clock). */
  since = new Float64Array(1024);
  /** The notification's ordinal in its stream, shown when it has no key. */
  seq = new Int32Array(1024);
  /** Major GCs seen when the slot entered its state: a later one confirms a holding. */
  epoch = new Int32Array(1024);
  /** Sharing group: slots holding the same object share a non-zero group (the leader slot). */
  group = new Int32Array(1024);
  /** Next member of the leader's group, 0 at the end; the leader's collection frees them all. */
  groupNext = new Int32Array(1024);
  /** The pinned key, if any. */
  key: (KeyEntry | null)[] = [];
  /** Highest slot ever used, so scans stop there. */
  high = 0;
  live = 0;

  /** False for a slot number the host could not have sent. */
  isValid(slot: number): boolean {
    return Number.isInteger(slot) && slot > 0 && slot < MAX_SLOT;
  }

  ensure(slot: number): void {
    if (slot > this.high) this.high = slot;
    if (slot < this.state.length) return;
    let size = this.state.length;
    while (size <= slot) size *= 2;
    this.stream = growInt32(this.stream, size);
    this.seq = growInt32(this.seq, size);
    this.epoch = growInt32(this.epoch, size);
    this.group = growInt32(this.group, size);
    this.groupNext = growInt32(this.groupNext, size);
    const state = new Uint8Array(size);
    state.set(this.state);
    this.state = state;
    const since = new Float64Array(size);
    since.set(this.since);
    this.since = since;
  }
}

function growInt32(array: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(size);
  bigger.set(array);
  return bigger;
}
