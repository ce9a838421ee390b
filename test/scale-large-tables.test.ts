import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DELIVERY_CONSUMED,
  Op,
  RECORD_INTS,
  STREAM_SAMPLE_SHIFT,
  STREAM_TRACKS_HOLD,
  packOp,
} from '../src/shared/protocol';
import { formatFindingGroups } from '../src/worker/finding-groups';
import { EngineHarness } from './support/engine-harness';

const STREAMS = 100_000;
const PER_STREAM = 10;

/** 100 000 streams from 20 sites, each holding 10 taken notifications; half are closed. */
function bigBatch(): { view: Int32Array; strings: string[] } {
  const strings = ['finality'];
  for (let site = 0; site < 20; site++)
    strings.push(`consume\t/app/src/feed-${site}.js\t${site + 1}\t3`);
  const records = strings.length + STREAMS * (PER_STREAM + 1) + STREAMS / 2;
  const view = new Int32Array(records * RECORD_INTS);
  let at = 0;
  const put = (op: Op, flags: number, a: number, b: number, c: number) => {
    view.set([packOp(op, flags), a, b, c], at);
    at += RECORD_INTS;
  };
  strings.forEach((_, index) => put(Op.STRING_DEFINED, 0, index + 1, index, 0));
  let slot = 1;
  for (let id = 1; id <= STREAMS; id++) {
    put(Op.STREAM_OPENED, STREAM_TRACKS_HOLD | (1 << STREAM_SAMPLE_SHIFT), id, 1, 2 + (id % 20));
    for (let i = 0; i < PER_STREAM; i++) put(Op.DELIVERED, DELIVERY_CONSUMED, id, slot++, 0);
  }
  for (let id = 1; id <= STREAMS; id += 2) put(Op.STREAM_CLOSED, 0, id, 0, 0);
  return { view, strings };
}

test('a scan over 100 000 streams and a million live notifications stays readable', () => {
  const h = new EngineHarness({ heldThreshold: 5 });
  const { view, strings } = bigBatch();
  h.engine.applyRecords(view, view.length, strings, h.now);
  assert.equal(h.engine.slots.live, STREAMS * PER_STREAM);
  h.settledGc();

  const result = h.scan();
  assert.equal(result.findings.length, STREAMS);
  assert.equal(result.counts.leak, STREAMS / 2);
  assert.equal(result.counts.held, STREAMS / 2);
  assert.equal(result.findings[0].kind, 'leak', 'the worst come first');

  const text = formatFindingGroups(result.findings);
  const lines = text.split('\n');
  assert.ok(lines.length < 200, `stderr stays short: ${lines.length} lines`);
  assert.match(text, /more findings in \d+ groups, by kind and site/);
  assert.match(text, /and 4999 more streams from this site/);
});
