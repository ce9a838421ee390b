import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { Log } from '../src/shared/log';
import { MetricsServer } from '../src/worker/metrics-server';

function slowScrape(counter: { calls: number }) {
  return async () => {
    counter.calls++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { contentType: 'text/plain; version=0.0.4', body: 'pinwatch_up 1\n' };
  };
}

/** Sends raw bytes and returns what came back before the server closed the socket. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
}

test('malformed requests get an error answer and the endpoint keeps serving', async () => {
  const counter = { calls: 0 };
  const server = new MetricsServer(new Log('worker', 'silent'), slowScrape(counter));
  const port = await server.listen(0, '127.0.0.1');
  try {
    assert.match(await raw(port, 'NOT HTTP AT ALL\r\n\r\n'), /^HTTP\/1\.1 400/);
    assert.match(
      await raw(port, 'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n'),
      /400/,
    );
    assert.match(await raw(port, `GET /${'a'.repeat(20_000)} HTTP/1.1\r\n\r\n`), /^HTTP\/1\.1 4/);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'pinwatch_up 1\n');
  } finally {
    server.close();
  }
});

test('a flood of scrapes shares scans and the endpoint still answers after it', async () => {
  const counter = { calls: 0 };
  const server = new MetricsServer(new Log('worker', 'silent'), slowScrape(counter));
  const port = await server.listen(0, '127.0.0.1');
  try {
    const flood = Array.from({ length: 200 }, () =>
      fetch(`http://127.0.0.1:${port}/metrics`).then(
        (response) => response.status,
        () => 0,
      ),
    );
    const statuses = await Promise.all(flood);
    assert.ok(statuses.filter((status) => status === 200).length > 0);
    assert.ok(counter.calls < 50, `${counter.calls} scans for 200 scrapes`);
    const after = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(after.status, 200);
  } finally {
    server.close();
  }
});
