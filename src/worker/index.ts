import { workerData, type MessagePort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import type { ControlApi } from '../shared/control';
import type { HostMessage } from '../shared/protocol';
import type { Settings } from '../shared/settings';
import { Log } from '../shared/log';
import { PinningWorker } from './pinning-worker';

/** What the host passes in `workerData`. */
interface PinningWorkerData {
  settings: Settings;
  recordPort: MessagePort;
  controlPort: MessagePort;
}

const data = workerData as PinningWorkerData;
const log = new Log('worker', data.settings.logLevel);
const worker = new PinningWorker(data.settings, log);

data.recordPort.on('message', (message: HostMessage) => {
  try {
    if (message?.type === 'batch') {
      worker.applyBatch(message);
      // Hand the drained buffer back so the host can reuse it.
      if (message.buffer instanceof ArrayBuffer && message.buffer.byteLength > 0) {
        data.recordPort.postMessage({ type: 'buffer', buffer: message.buffer }, [message.buffer]);
      }
    } else if (message?.type === 'exit') {
      worker.exit(message);
    } else {
      worker.engine.anomalies.rejected++;
    }
  } catch (error) {
    log.error('record batch failed', { error });
  }
});

const control: ControlApi = {
  async snapshot(seq) {
    await worker.waitForSeq(seq);
    await worker.prepareSites();
    return worker.snapshot();
  },
  async flush(seq) {
    await worker.waitForSeq(seq);
    await worker.scanWithSites();
  },
  configure(changes) {
    worker.configure(changes);
  },
  async close() {
    worker.stop();
    worker.outputs.close();
    await worker.sites.close();
    // After this reply has gone out: with both ports closed the thread's loop is empty and
    // it ends on its own, which is gentler than being terminated mid-task.
    setImmediate(() => {
      data.recordPort.close();
      data.controlPort.close();
    });
  },
};

// comlink must be exposed synchronously at the top level, before the host's first call.
expose(control, nodeEndpoint(data.controlPort));
worker.start();
log.debug('pinning worker started', { intervalMs: data.settings.intervalMs });
