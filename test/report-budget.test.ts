import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamView } from '../src/worker/stream-view';
import { PinBudget } from '../src/worker/pin-budget';
import { formatBudget } from '../src/worker/report-format';
import { EngineHarness, openStreams } from './support/engine-harness';

const BUDGET = 100;
const WARN_PERCENT = 80;

const delivered = new WeakMap<EngineHarness, number>();

/** Streams 1 and 2 hold `count` more blocks, each in a new slot with a new key. */
function pinMore(h: EngineHarness, count: number): void {
  const first = delivered.get(h) ?? 0;
  delivered.set(h, first + count);
  h.apply((b) => {
    for (let i = first; i < first + count; i++) {
      b.defineString(100 + i, `0x${i.toString(16)}`);
      b.deliver(1 + (i % 2), i + 1, 100 + i).consume(i + 1);
    }
  });
}

function observe(h: EngineHarness, budget: PinBudget) {
  const siteOf = (view: StreamView) => h.sites.site(h.sites.frames(view.entry.stack));
  return budget.observe(h.scan(), BUDGET, WARN_PERCENT, siteOf);
}

test('pins below the warning share of the budget are not reported', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2]);
  const budget = new PinBudget();
  pinMore(h, 79);
  assert.equal(observe(h, budget), null);
});

test('crossing the warning share reports growth, time left and the holding site', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2]);
  const budget = new PinBudget();
  for (let scan = 0; scan < 4; scan++) {
    pinMore(h, 20);
    h.advance(60_000);
    const warning = observe(h, budget);
    if (scan < 3) assert.equal(warning, null, `${h.engine.keys.size} keys is below 80`);
    else {
      assert.ok(warning);
      assert.equal(warning.pinnedKeys, 80);
      assert.equal(warning.growthPerMinute, 20);
      assert.equal(warning.exhaustedInMs, 60_000);
      assert.deepEqual(warning.holders, [
        { label: 'finality', site: '/app/src/consumer.js:12:5', pins: 80, streams: [1, 2] },
      ]);
      assert.match(formatBudget(warning), /80 of 100 keys pinned .*\n.*20 keys\/min: used up in/);
    }
  }
});

test('the warning is repeated only for each further 5% of the budget', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2]);
  const budget = new PinBudget();
  pinMore(h, 80);
  assert.ok(observe(h, budget));
  pinMore(h, 4);
  assert.equal(observe(h, budget), null);
  pinMore(h, 1);
  assert.equal(observe(h, budget)?.pinnedKeys, 85);
});

test('pins falling back below the warning share re-arm the warning', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2]);
  const budget = new PinBudget();
  pinMore(h, 82);
  assert.ok(observe(h, budget));
  h.apply((b) => {
    for (let slot = 1; slot <= 10; slot++) b.release(slot);
  });
  assert.equal(observe(h, budget), null);
  pinMore(h, 10);
  assert.equal(observe(h, budget)?.pinnedKeys, 82);
});

test('a count that is not growing gives no time to exhaustion', () => {
  const h = new EngineHarness();
  openStreams(h, [1, 2]);
  const budget = new PinBudget();
  pinMore(h, 90);
  h.advance(60_000);
  const warning = observe(h, budget);
  assert.equal(warning?.exhaustedInMs, null);
  assert.match(formatBudget(warning!), /not growing/);
});
