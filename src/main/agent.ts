import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import type { ControlApi } from '../shared/control';
import type { ExitMessage } from '../shared/protocol';
import { EXIT_SLOT_ACK, EXIT_SLOT_COUNT, EXIT_SLOT_KINDS } from '../shared/protocol';
import type { Settings } from '../shared/settings';
import type { Snapshot } from '../shared/snapshot';
import { Log } from '../shared/log';
import { observeGc } from './gc-observer';
import { Tracker } from './tracker';

const WORKER_ENTRY = join(__dirname, '..', 'worker', 'index.js');
/** The longest the host's exit waits for the worker's final report. */
const EXIT_WAIT_MS = 2000;
/** A control call that takes longer than this is given up (the worker may be gone). */
const CONTROL_TIMEOUT_MS = 5000;
/** The worker's heap bound: the tables of a million live notifications fit well inside. */
const WORKER_HEAP_MB = 512;

/**
 * The running agent: one pinning worker, the ports to it, and the host-side tracker. It is
 * created on the first tracked stream. Nothing in it keeps the process alive, and a
 * failure of the worker turns tracking off instead of touching the host.
 */
export class Agent {
  readonly tracker: Tracker;
  readonly log: Log;
  #settings: Settings;
  readonly #worker: Worker;
  readonly #recordPort: MessageChannel['port1'];
  readonly #remote: Remote<ControlApi>;
  readonly #stopGcObserver: () => void;
  #alive = true;
  /** Kinds found by the final report; undefined until it was asked for. */
  #exitKinds: number | null | undefined;

  constructor(settings: Settings) {
    this.#settings = settings;
    this.log = new Log('main', settings.logLevel);
    const records = new MessageChannel();
    const control = new MessageChannel();
    this.#recordPort = records.port1;
    this.#worker = new Worker(WORKER_ENTRY, {
      name: 'pinwatch',
      workerData: { settings, recordPort: records.port2, controlPort: control.port2 },
      transferList: [records.port2, control.port2],
      // The preload must not run again inside the agent's own thread, also when it came
      // in through NODE_OPTIONS (which execArgv alone does not clear).
      execArgv: [],
      env: { ...process.env, PINWATCH: '0' },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: false,
      stderr: false,
    });
    this.#worker.unref();
    this.#worker.on('error', (error) => this.#lost('pinning worker failed', error));
    this.#worker.on('exit', (code) => this.#lost('pinning worker exited', code));

    this.tracker = new Tracker(records.port1);
    this.#remote = wrap<ControlApi>(nodeEndpoint(control.port1));
    records.port1.unref();
    control.port1.unref();
    this.#stopGcObserver = observeGc((major) => this.tracker.gcObserved(major));
    process.on('exit', this.#onExit);
  }

  get settings(): Settings {
    return this.#settings;
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** The worker's state after everything recorded so far has been applied. */
  async snapshot(): Promise<Snapshot> {
    this.tracker.recorder.flush();
    return this.#call(() =>
      this.#remote.snapshot(this.tracker.recorder.sentSeq),
    ) as Promise<Snapshot>;
  }

  /** Sends what is buffered and has the worker scan and report now. */
  async flush(): Promise<void> {
    this.tracker.recorder.flush();
    await this.#call(() => this.#remote.flush(this.tracker.recorder.sentSeq));
  }

  async configure(changes: Partial<Settings>): Promise<void> {
    this.#settings = { ...this.#settings, ...changes };
    this.log.setLevel(this.#settings.logLevel);
    await this.#call(() => this.#remote.configure(changes));
  }

  /** Stops tracking and lets the worker go. */
  async close(): Promise<void> {
    if (!this.#alive) return;
    this.tracker.recorder.flush();
    this.#alive = false;
    this.tracker.deactivate();
    this.#stopGcObserver();
    process.removeListener('exit', this.#onExit);
    await this.#worker.terminate();
  }

  async #call<T>(call: () => Promise<T>): Promise<T> {
    if (!this.#alive) throw new Error('pinwatch: the pinning worker is not running');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`pinwatch: control call timed out after ${CONTROL_TIMEOUT_MS} ms`)),
        CONTROL_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([call(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * 'exit' handlers must be synchronous, and an unref'd worker is torn down right after
   * them. So: hand over the last batch, ask for the final report, and block on a shared
   * flag for a bounded time while the worker writes it. Runs once; later calls return the
   * first answer. Returns the kinds found (a FINDING_KIND_BITS mask), or null when the
   * worker did not confirm.
   */
  reportAtExit(exitCode: number): number | null {
    if (this.#exitKinds !== undefined) return this.#exitKinds;
    this.#exitKinds = null;
    if (!this.#alive) return null;
    try {
      this.tracker.recorder.flush();
      const ack = new Int32Array(new SharedArrayBuffer(4 * EXIT_SLOT_COUNT));
      const message: ExitMessage = { type: 'exit', ack, exitCode };
      this.#recordPort.postMessage(message);
      Atomics.wait(ack, EXIT_SLOT_ACK, 0, EXIT_WAIT_MS);
      if (Atomics.load(ack, EXIT_SLOT_ACK) === 1) this.#exitKinds = ack[EXIT_SLOT_KINDS];
    } catch (error) {
      this.log.debug('final report not confirmed', { error });
    }
    return this.#exitKinds;
  }

  #onExit = (exitCode: number): void => {
    this.reportAtExit(exitCode);
  };

  #lost(event: string, detail: unknown): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.tracker.deactivate();
    this.#stopGcObserver();
    this.log.error(`${event}, tracking stopped; the host carries on`, { detail });
  }
}
