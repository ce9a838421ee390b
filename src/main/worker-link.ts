import { join } from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import type { ControlApi } from '../shared/control';
import type { Settings } from '../shared/settings';

const WORKER_ENTRY = join(__dirname, '..', 'worker', 'index.js');
/** The worker's heap bound: the tables of a million live notifications fit well inside. */
const WORKER_HEAP_MB = 512;

/** One pinning worker and the two ports to it: records one way, control calls both ways. */
export interface WorkerLink {
  worker: Worker;
  recordPort: MessagePort;
  remote: Remote<ControlApi>;
}

/**
 * Starts a pinning worker. Nothing here keeps the host alive: the worker and both ports
 * are unref'd, so the host exits when its own work is done.
 */
export function startWorkerLink(
  settings: Settings,
  onLost: (event: string, detail: unknown) => void,
) {
  const records = new MessageChannel();
  const control = new MessageChannel();
  const worker = new Worker(WORKER_ENTRY, {
    name: 'pinwatch',
    workerData: { settings, recordPort: records.port2, controlPort: control.port2 },
    transferList: [records.port2, control.port2],
    // The preload must not run again inside the agent's own thread, also when it came in
    // through NODE_OPTIONS (which execArgv alone does not clear).
    execArgv: [],
    env: { ...process.env, PINWATCH: '0' },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    stdout: false,
    stderr: false,
  });
  worker.unref();
  worker.on('error', (error) => onLost('pinning worker failed', error));
  worker.on('exit', (code) => onLost('pinning worker exited', code));
  const remote = wrap<ControlApi>(nodeEndpoint(control.port1));
  records.port1.unref();
  control.port1.unref();
  const link: WorkerLink = { worker, recordPort: records.port1, remote };
  return link;
}
