import type { Engine } from '../../src/worker/engine';
import {
  Op,
  RECORD_INTS,
  STREAM_SAMPLE_SHIFT,
  STREAM_TRACKS_HOLD,
  packOp,
} from '../../src/shared/protocol';

/** Builds record batches by hand, the way the host's Recorder lays them out. */
export class RecordBatch {
  readonly ints: number[] = [];
  readonly strings: string[] = [];

  record(op: Op, flags: number, a = 0, b = 0, c = 0): this {
    this.ints.push(packOp(op, flags), a, b, c);
    return this;
  }

  defineString(id: number, text: string): this {
    this.record(Op.STRING_DEFINED, 0, id, this.strings.length);
    this.strings.push(text);
    return this;
  }

  open(id: number, labelId: number, stackId = 0, flags = STREAM_TRACKS_HOLD): this {
    return this.record(Op.STREAM_OPENED, flags | (1 << STREAM_SAMPLE_SHIFT), id, labelId, stackId);
  }

  deliver(stream: number, slot: number, keyId = 0, flags = 0): this {
    return this.record(Op.DELIVERED, flags, stream, slot, keyId);
  }

  consume(slot: number, flags = 0): this {
    return this.record(Op.CONSUMED, flags, slot);
  }

  release(slot: number): this {
    return this.record(Op.RELEASED, 0, slot);
  }

  collect(slot: number): this {
    return this.record(Op.COLLECTED, 0, slot);
  }

  share(slot: number, leader: number): this {
    return this.record(Op.SHARED, 0, slot, leader);
  }

  close(stream: number, flags = 0): this {
    return this.record(Op.STREAM_CLOSED, flags, stream);
  }

  majorGc(): this {
    return this.record(Op.GC_OBSERVED, 0, 1);
  }

  get length(): number {
    return this.ints.length / RECORD_INTS;
  }

  applyTo(engine: Engine, now: number): void {
    const view = Int32Array.from(this.ints);
    engine.applyRecords(view, view.length, this.strings, now);
  }
}
