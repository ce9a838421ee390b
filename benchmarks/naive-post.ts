import { Worker } from 'node:worker_threads';
import type { BlockNotification } from './workload';

/** The receiving end: counts records and answers a ping once everything before it arrived. */
const RECEIVER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let records = 0;
parentPort.on('message', (message) => {
  if (message === 'ping') parentPort.postMessage(records);
  else records++;
});
`;

/**
 * The design pinwatch does not use, measured for comparison: one `postMessage` per
 * record to a worker that applies it. It is what a tracker without batching costs.
 */
export class NaivePoster {
  readonly #worker = new Worker(RECEIVER_SOURCE, { eval: true });
  #stream = 1;

  /** Posts one delivery record, as a naive tracker would from inside the consumer. */
  readonly tap = (value: BlockNotification): void => {
    this.#worker.postMessage({ op: 'delivered', stream: this.#stream, key: value.hash });
  };

  /** Resolves once the worker has received every record posted so far. */
  drain(): Promise<number> {
    return new Promise((resolve) => {
      this.#worker.once('message', (count: number) => resolve(count));
      this.#worker.postMessage('ping');
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
