import type { MessagePort } from 'node:worker_threads';
import type { KeyFunction } from './keys';
import type { HoldTracking } from './stream-handle';
import { GcTracker } from './gc-tracker';
import { Recorder } from './recorder';
import { SlotAllocator } from './slot-allocator';
import { StreamHandle } from './stream-handle';
import { StringTable } from './string-table';
import {
  Op,
  STREAM_EXPLICIT_RELEASE,
  STREAM_SAMPLE_SHIFT,
  STREAM_TRACKS_HOLD,
  TIME_SPLIT,
} from '../shared/protocol';

/** What a shape tells the tracker about a new stream. */
export interface StreamSpec {
  label: string;
  keyOf: KeyFunction;
  hold: HoldTracking;
  /** Follow one in this many notifications to its release (gc hold only). */
  sampleEvery: number;
  /** Raw creation frames from captureStack(). */
  stack: string;
}

/** The longest marking a GC record carries (its flags field); longer ones are clamped. */
const MAX_MARKING_MS = 0xffff;

/** Transferred buffers in flight at most: 16 x 64 KiB bounds the host's part to 1 MiB. */
const MAX_BUFFERS = 16;

/**
 * The host half of the engine: stream ids, notification slots, interned strings, the GC
 * registries and the recorder that carries it all to the worker. Shapes only talk to it
 * through StreamHandle.
 */
export class Tracker {
  readonly recorder: Recorder;
  readonly strings: StringTable;
  readonly slots = new SlotAllocator();
  readonly gc: GcTracker;
  #active = true;
  #nextStreamId = 1;
  /** Streams with counted deliveries not yet recorded. */
  #counting: StreamHandle[] = [];
  readonly #handles = new FinalizationRegistry<StreamHandle>((handle) => handle.close(true));

  constructor(port: MessagePort) {
    this.recorder = new Recorder(
      port,
      MAX_BUFFERS,
      () => this.#sendCounts(),
      () => this.strings.reset(),
    );
    this.strings = new StringTable(this.recorder);
    this.gc = new GcTracker(this.recorder, this.slots);
  }

  get active(): boolean {
    return this.#active;
  }

  openStream(spec: StreamSpec): StreamHandle {
    // Ids are never reused, even when the open record is dropped.
    const id = this.#nextStreamId++;
    const handle = new StreamHandle(this, id, spec.keyOf, spec.hold, spec.sampleEvery);
    if (!this.#active) return handle;
    const labelId = this.strings.idOf(spec.label);
    const stackId = spec.stack === '' ? 0 : this.strings.idOf(spec.stack);
    let flags = spec.hold === 'external' ? STREAM_EXPLICIT_RELEASE : 0;
    if (spec.hold !== 'none') flags |= STREAM_TRACKS_HOLD;
    flags |= Math.min(spec.sampleEvery, 0xffff) << STREAM_SAMPLE_SHIFT;
    this.recorder.record(Op.STREAM_OPENED, flags, id, labelId, stackId);
    return handle;
  }

  /** Reports the stream closed by GC when `consumerHandle` is collected before close(). */
  watchConsumerHandle(consumerHandle: object, stream: StreamHandle): void {
    if (this.#active) this.#handles.register(consumerHandle, stream, stream);
  }

  /** Stops watching once the stream is closed explicitly. */
  unwatchConsumerHandle(stream: StreamHandle): void {
    this.#handles.unregister(stream);
  }

  /**
   * Records a full garbage collection that ended at `endedAtMs` and began marking at
   * `markingStartedAtMs` (Date.now() clock; the same time when it marked atomically).
   */
  majorGcObserved(endedAtMs: number, markingStartedAtMs = endedAtMs): void {
    if (!this.#active) return;
    const at = Math.floor(endedAtMs);
    const marking = Math.min(MAX_MARKING_MS, Math.max(0, Math.ceil(at - markingStartedAtMs)));
    this.recorder.record(Op.GC_OBSERVED, marking, 1, Math.floor(at / TIME_SPLIT), at % TIME_SPLIT);
  }

  /**
   * Carries on over a new worker's port. The new worker knows none of the strings or
   * streams so far; records about old streams reach it as unknown streams.
   */
  attach(port: MessagePort): void {
    this.recorder.attach(port);
    this.strings.reset();
  }

  /**
   * `stream` has deliveries counted but not recorded yet (taken at once, hold not followed):
   * they go out as one record when the batch does.
   */
  countPending(stream: StreamHandle): void {
    this.#counting.push(stream);
    this.recorder.schedule();
  }

  #sendCounts(): void {
    const counting = this.#counting;
    if (counting.length === 0) return;
    // Streams whose count found no free buffer stay for the next batch.
    this.#counting = counting.filter((stream) => !stream.sendCount());
  }

  /** Tracking ends for good: every handle becomes a pass-through. */
  deactivate(): void {
    this.#active = false;
    this.recorder.close();
  }
}
