import type { KeyEntry } from './key-table';
import type { Anomalies } from '../shared/snapshot';
import type { StreamEntry } from './stream-entry';
import { FinishedStreams } from './finished-streams';
import { GcHistory } from './gc-history';
import { hostTime } from './host-time';
import { KeyTable } from './key-table';
import { SLOT_FREE, SLOT_HELD, SLOT_QUEUED, SlotTable } from './slot-table';
import { createStreamEntry } from './stream-entry';
import {
  CLOSED_BY_GC,
  CONSUME_RELEASE_NOW,
  DELIVERY_CONSUMED,
  DELIVERY_RELEASE_NOW,
  FLAG_SHIFT,
  OP_COUNT,
  OP_MASK,
  Op,
  RECORD_INTS,
  STREAM_EXPLICIT_RELEASE,
  STREAM_SAMPLE_SHIFT,
  STREAM_TRACKS_HOLD,
} from '../shared/protocol';

/** The most string ids the host uses before it starts over (see StringTable). */
const MAX_STRING_ID = 65_536;

/** Finished streams kept for snapshot() after they leave the table. */
const FINISHED_KEPT = 256;

/** A key force-unpinned by the limit, with the streams that held it then. */
export interface Eviction {
  key: string;
  at: number;
  refs: number;
  holders: Map<number, number>;
}

/**
 * Applies the host's records to the tables: streams by id, notifications by slot, pins by
 * key. It trusts nothing: every id is checked, and a record that cannot apply is counted,
 * never thrown on.
 */
export class Engine {
  readonly streams = new Map<number, StreamEntry>();
  readonly slots = new SlotTable();
  readonly keys: KeyTable;
  readonly strings: string[] = [];
  readonly anomalies: Anomalies = {
    unknownOps: 0,
    rejected: 0,
    staleSlots: 0,
    unknownStreams: 0,
    dropped: new Array<number>(OP_COUNT).fill(0),
    droppedTotal: 0,
  };
  readonly gcs = new GcHistory();
  recordsApplied = 0;
  readonly #finished = new FinishedStreams(FINISHED_KEPT);
  /** The clock of the batch being applied. */
  #now = 0;
  /** Evictions since the last scan took them; the first few carry their holders. */
  evictions: Eviction[] = [];
  evictionsSinceScan = 0;

  constructor(pinLimit: number) {
    this.keys = new KeyTable(pinLimit, (entry) => this.#onEvict(entry));
  }

  /** Applies `length` ints of records from `view`. */
  applyRecords(view: Int32Array, length: number, batchStrings: unknown[], now: number): void {
    this.#now = now;
    const usable = Math.min(length, view.length);
    const end = usable - (usable % RECORD_INTS);
    for (let i = 0; i < end; i += RECORD_INTS) {
      const word = view[i];
      this.#apply(
        word & OP_MASK,
        word >>> FLAG_SHIFT,
        view[i + 1],
        view[i + 2],
        view[i + 3],
        batchStrings,
        now,
      );
    }
    this.recordsApplied += end / RECORD_INTS;
  }

  countDropped(dropped: unknown): void {
    if (!Array.isArray(dropped)) return;
    for (let op = 0; op < OP_COUNT && op < dropped.length; op++) {
      const count = dropped[op];
      if (typeof count !== 'number' || !(count > 0)) continue;
      this.anomalies.dropped[op] += count;
      this.anomalies.droppedTotal += count;
    }
  }

  #apply(op: number, flags: number, a: number, b: number, c: number, strs: unknown[], now: number) {
    switch (op) {
      case Op.STREAM_OPENED:
        return this.#opened(a, b, c, flags, now);
      case Op.STREAM_CLOSED:
        return this.#closed(a, flags, hostTime(b, c, now), now);
      case Op.DELIVERED:
        return this.#delivered(a, b, c, flags, now);
      case Op.CONSUMED:
        return this.#consumed(a, flags, now);
      case Op.RELEASED:
        return this.#ended(a, false);
      case Op.COLLECTED:
        return this.#ended(a, true);
      case Op.SHARED:
        return this.#shared(a, b);
      case Op.STRING_DEFINED:
        return this.#defineString(a, b, strs);
      case Op.GC_OBSERVED:
        if (a === 1) {
          const at = hostTime(b, c, now);
          this.gcs.record(at, at - flags);
        }
        return;
      default:
        this.anomalies.unknownOps++;
    }
  }

  #opened(id: number, labelId: number, stackId: number, flags: number, now: number): void {
    if (!(id > 0)) {
      this.anomalies.rejected++;
      return;
    }
    let entry = this.streams.get(id);
    if (entry === undefined) {
      entry = createStreamEntry(id, now);
      this.streams.set(id, entry);
    }
    entry.unknown = false;
    entry.createdAt = now;
    entry.label = this.#string(labelId) || 'unlabelled';
    entry.stack = this.#string(stackId);
    entry.explicitRelease = (flags & STREAM_EXPLICIT_RELEASE) !== 0;
    entry.tracksHold = (flags & STREAM_TRACKS_HOLD) !== 0;
    entry.sampleEvery = Math.max(1, flags >>> STREAM_SAMPLE_SHIFT);
  }

  /** `at`: when the host closed it, which may be up to a flush before `now`. */
  #closed(id: number, flags: number, at: number, now: number): void {
    const entry = this.#stream(id, now);
    if (entry === null || entry.closedAt !== 0) return;
    entry.closedAt = at;
    entry.closedByGc = (flags & CLOSED_BY_GC) !== 0;
    entry.majorGcsAtClose = this.gcs.count;
    this.#forgetIfFinished(entry);
  }

  /**
   * A closed stream with nothing live has nothing left to say: it leaves the table at
   * once, so streams that open and close all the time cost nothing between scans.
   */
  #forgetIfFinished(entry: StreamEntry): void {
    if (entry.closedAt === 0 || entry.queued + entry.held !== 0) return;
    this.streams.delete(entry.id);
    this.#finished.add(entry);
  }

  /** Recently finished streams (closed, nothing live), oldest first, for snapshot(). */
  finishedStreams(): StreamEntry[] {
    return this.#finished.list();
  }

  #delivered(id: number, slot: number, keyId: number, flags: number, now: number): void {
    const entry = this.#stream(id, now);
    if (entry === null) return;
    const consumed = (flags & DELIVERY_CONSUMED) !== 0;
    if (slot === 0) {
      // Nothing followed: the record counts `keyId` deliveries (older hosts send 0 for 1).
      const count = keyId > 0 ? keyId : 1;
      entry.delivered += count;
      if (consumed) entry.consumed += count;
      entry.released += count;
      return;
    }
    entry.delivered++;
    if (consumed) entry.consumed++;
    if ((flags & DELIVERY_RELEASE_NOW) !== 0) {
      entry.released++;
      return;
    }
    const slots = this.slots;
    if (!slots.isValid(slot)) {
      this.anomalies.rejected++;
      return;
    }
    slots.ensure(slot);
    if (slots.state[slot] !== SLOT_FREE) {
      // Its release was lost (dropped); forget the old notification before reusing.
      this.anomalies.staleSlots++;
      this.#free(slot);
    }
    const state = consumed ? SLOT_HELD : SLOT_QUEUED;
    slots.state[slot] = state;
    slots.stream[slot] = id;
    slots.since[slot] = now;
    slots.epoch[slot] = this.gcs.count;
    slots.seq[slot] = entry.delivered;
    slots.group[slot] = 0;
    slots.groupNext[slot] = 0;
    const key = keyId > 0 ? this.#string(keyId) : '';
    slots.key[slot] = key === '' ? null : this.keys.pin(keyId, key, now);
    slots.live++;
    if (state === SLOT_HELD) entry.held++;
    else entry.queued++;
  }

  #consumed(slot: number, flags: number, now: number): void {
    const slots = this.slots;
    if (!this.#slotIn(slot, SLOT_QUEUED)) return;
    const entry = this.streams.get(slots.stream[slot]);
    if (entry === undefined) return;
    entry.queued--;
    entry.consumed++;
    if ((flags & CONSUME_RELEASE_NOW) !== 0) {
      entry.released++;
      this.#clear(slot);
      this.#forgetIfFinished(entry);
      return;
    }
    slots.state[slot] = SLOT_HELD;
    slots.since[slot] = now;
    slots.epoch[slot] = this.gcs.count;
    entry.held++;
  }

  #ended(slot: number, byGc: boolean): void {
    if (!this.#slotIn(slot, -1)) return;
    const slots = this.slots;
    // A collected leader takes its group with it: they were one object.
    let member = byGc && slots.group[slot] === slot ? slots.groupNext[slot] : 0;
    this.#endOne(slot, byGc);
    while (member !== 0) {
      const next = slots.groupNext[member];
      if (slots.state[member] !== SLOT_FREE && slots.group[member] === slot) {
        this.#endOne(member, true);
      }
      member = next;
    }
  }

  #endOne(slot: number, byGc: boolean): void {
    const entry = this.streams.get(this.slots.stream[slot]);
    if (entry !== undefined) {
      if (byGc) {
        entry.collected++;
        if (entry.explicitRelease) entry.collectedUnreleased++;
      } else {
        entry.released++;
      }
    }
    this.#free(slot);
  }

  #shared(slot: number, leader: number): void {
    if (!this.#slotIn(slot, -1) || !this.#slotIn(leader, -1)) return;
    const slots = this.slots;
    if (slots.group[leader] === 0) slots.group[leader] = leader;
    const head = slots.group[leader];
    slots.group[slot] = head;
    slots.groupNext[slot] = slots.groupNext[head];
    slots.groupNext[head] = slot;
  }

  #defineString(id: number, index: number, strs: unknown[]): void {
    const text = strs[index];
    if (!(id > 0 && id <= MAX_STRING_ID) || typeof text !== 'string') {
      this.anomalies.rejected++;
      return;
    }
    this.strings[id] = text;
    this.keys.forgetStringId(id);
  }

  /** True when `slot` is valid and in `state` (-1: any live state); counts it otherwise. */
  #slotIn(slot: number, state: number): boolean {
    const slots = this.slots;
    if (!slots.isValid(slot)) {
      this.anomalies.rejected++;
      return false;
    }
    const current = slot < slots.state.length ? slots.state[slot] : SLOT_FREE;
    if (current === SLOT_FREE || (state !== -1 && current !== state)) {
      this.anomalies.staleSlots++;
      return false;
    }
    return true;
  }

  /** Takes a live slot out of its stream's counts and frees it. */
  #free(slot: number): void {
    const slots = this.slots;
    const entry = this.streams.get(slots.stream[slot]);
    const wasQueued = slots.state[slot] === SLOT_QUEUED;
    this.#clear(slot);
    if (entry === undefined) return;
    if (wasQueued) entry.queued--;
    else entry.held--;
    this.#forgetIfFinished(entry);
  }

  #clear(slot: number): void {
    const slots = this.slots;
    const key = slots.key[slot];
    if (key) this.keys.unpin(key);
    slots.key[slot] = null;
    slots.state[slot] = SLOT_FREE;
    slots.stream[slot] = 0;
    slots.group[slot] = 0;
    slots.groupNext[slot] = 0;
    slots.live--;
  }

  #stream(id: number, now: number): StreamEntry | null {
    const entry = this.streams.get(id);
    if (entry !== undefined) return entry;
    if (!(id > 0) || !Number.isInteger(id)) {
      this.anomalies.rejected++;
      return null;
    }
    this.anomalies.unknownStreams++;
    const created = createStreamEntry(id, now);
    this.streams.set(id, created);
    return created;
  }

  #string(id: number): string {
    if (!(id > 0)) return '';
    const text = this.strings[id];
    return typeof text === 'string' ? text : '';
  }

  #onEvict(entry: KeyEntry): void {
    this.evictionsSinceScan++;
    // Naming holders walks every live slot; do it for the first few per scan only. Slots
    // that still point at the evicted entry are harmless: unpinning a gone entry is a no-op.
    if (this.evictions.length >= 8) return;
    const holders = new Map<number, number>();
    const slots = this.slots;
    for (let slot = 1; slot <= slots.high; slot++) {
      if (slots.key[slot] !== entry) continue;
      const stream = slots.stream[slot];
      holders.set(stream, (holders.get(stream) ?? 0) + 1);
    }
    this.evictions.push({ key: entry.key, at: this.#now, refs: entry.refs, holders });
  }
}
