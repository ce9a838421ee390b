import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFixture } from './fixtures/shapes-harness';

test('with the agent off every shape comes back as itself, unpatched', () => {
  const run = runFixture('shapes-off-identity');
  assert.equal(run.signal, null);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  const result = run.result as Record<string, boolean>;
  assert.equal(result.enabled, false);
  for (const [name, same] of Object.entries(result)) {
    if (name !== 'enabled') assert.equal(same, true, name);
  }
});

test('a source that cannot be tracked gets one line on stderr and comes back unchanged', () => {
  const run = runFixture('shapes-bad-input', { PINWATCH: '1' });
  assert.equal(run.signal, null);
  assert.equal(run.status, 0, run.stderr);
  const { unchanged } = run.result as { unchanged: Record<string, boolean> };
  const linesByCase = new Map<string, string[]>();
  let current = '';
  for (const line of run.stderr.split('\n')) {
    if (line.startsWith('CASE ')) {
      current = line.slice(5);
      linesByCase.set(current, []);
    } else if (line !== '' && current !== 'end') {
      linesByCase.get(current)?.push(line);
    }
  }
  const expected: Record<string, RegExp> = {
    number: /cannot follow a number: expected an async iterable/,
    'plain-object': /cannot follow a plain object: expected /,
    'emitter-without-event': /needs options\.event/,
    'event-on-non-emitter': /options\.event needs an EventEmitter, got a Subject/,
    'byte-readable': /object-mode Readable streams only/,
    'bad-label': /options\.label must be 1 to 64 letters/,
    'bad-key': /options\.key must be a function, got string/,
    'bad-gc': /options\.gc must be a boolean or an integer from 1 to 65535, got 0/,
    'null-options': /options must be an object, got null/,
  };
  for (const [name, pattern] of Object.entries(expected)) {
    assert.equal(unchanged[name], true, `${name} came back changed`);
    const lines = linesByCase.get(name) ?? [];
    assert.equal(lines.length, 1, `${name}: ${JSON.stringify(lines)}`);
    assert.match(lines[0], /^\[pinwatch:main:\d+\] /);
    assert.match(lines[0], pattern);
  }
});
