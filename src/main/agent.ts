import type { Worker } from 'node:worker_threads';
import type { ExitMessage } from '../shared/protocol';
import { EXIT_SLOT_ACK, EXIT_SLOT_COUNT, EXIT_SLOT_KINDS } from '../shared/protocol';
import type { Settings } from '../shared/settings';
import type { Snapshot } from '../shared/snapshot';
import { Log } from '../shared/log';
import { observeGc } from './gc-observer';
import { Tracker } from './tracker';
import { startWorkerLink, type WorkerLink } from './worker-link';

/** The longest the host's exit waits for the worker's final report. */
const EXIT_WAIT_MS = 2000;
/** A control call that takes longer than this is given up (the worker may be gone). */
const CONTROL_TIMEOUT_MS = 5000;
/** How long close() waits for the worker to end by itself before terminating it. */
const CLOSE_WAIT_MS = 2000;

/** A worker lost more often than this is not started again; tracking stops instead. */
const MAX_RESTARTS = 3;

/**
 * The running agent: one pinning worker, the ports to it, and the host-side tracker. It is
 * created on the first tracked stream. Nothing in it keeps the process alive. A lost worker
 * is replaced a few times; the streams it knew reach the new one as unknown (never as
 * leaks), and after the last restart tracking stops while the host carries on.
 */
export class Agent {
  readonly tracker: Tracker;
  readonly log: Log;
  #settings: Settings;
  #link: WorkerLink;
  #restarts = 0;
  readonly #stopGcObserver: () => void;
  #alive = true;
  /** Kinds found by the final report; undefined until it was asked for. */
  #exitKinds: number | null | undefined;

  constructor(settings: Settings) {
    this.#settings = settings;
    this.log = new Log('main', settings.logLevel);
    this.#link = this.#startLink();
    this.tracker = new Tracker(this.#link.recordPort);
    this.#stopGcObserver = observeGc((at, markedFrom) =>
      this.tracker.majorGcObserved(at, markedFrom),
    );
    process.on('exit', this.#onExit);
  }

  get settings(): Settings {
    return this.#settings;
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** The current pinning worker thread (for diagnostics and fault-injection tests). */
  get worker(): Worker {
    return this.#link.worker;
  }

  /** How many times a lost worker was replaced. */
  get restarts(): number {
    return this.#restarts;
  }

  /** The worker's state after everything recorded so far has been applied. */
  async snapshot(): Promise<Snapshot> {
    this.tracker.recorder.flush();
    return this.#call(() =>
      this.#link.remote.snapshot(this.tracker.recorder.sentSeq),
    ) as Promise<Snapshot>;
  }

  /** Sends what is buffered and has the worker scan and report now. */
  async flush(): Promise<void> {
    this.tracker.recorder.flush();
    await this.#call(() => this.#link.remote.flush(this.tracker.recorder.sentSeq));
  }

  async configure(changes: Partial<Settings>): Promise<void> {
    this.#settings = { ...this.#settings, ...changes };
    this.log.setLevel(this.#settings.logLevel);
    await this.#call(() => this.#link.remote.configure(changes));
  }

  /** Stops tracking and lets the worker go. */
  async close(): Promise<void> {
    if (!this.#alive) return;
    this.tracker.recorder.flush();
    this.#alive = false;
    this.tracker.deactivate();
    this.#stopGcObserver();
    process.removeListener('exit', this.#onExit);
    const { worker, remote } = this.#link;
    // Ask the worker to wind down and end by itself; terminate it only if it does not (a
    // worker stuck in a task never answers the call). The timer is ref'd on purpose: code
    // awaiting stop() must not see the process end under it, and the wait is bounded.
    let timer: NodeJS.Timeout | undefined;
    const ended = await new Promise<boolean>((resolve) => {
      worker.once('exit', () => resolve(true));
      timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS);
      remote.close().catch(() => undefined);
    });
    clearTimeout(timer);
    if (!ended) await worker.terminate();
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
      this.#link.recordPort.postMessage(message);
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

  #startLink(): WorkerLink {
    const link: WorkerLink = startWorkerLink(this.#settings, (event, detail) => {
      if (this.#link === link) this.#lost(event, detail);
    });
    return link;
  }

  #lost(event: string, detail: unknown): void {
    if (!this.#alive) return;
    if (this.#restarts >= MAX_RESTARTS) {
      this.#alive = false;
      this.tracker.deactivate();
      this.#stopGcObserver();
      this.log.error(`${event}, tracking stopped; the host carries on`, {
        detail,
        restarts: this.#restarts,
      });
      return;
    }
    this.#restarts++;
    try {
      this.#link = this.#startLink();
      this.tracker.attach(this.#link.recordPort);
      this.log.error(`${event}, restarted; streams opened before are followed as unknown`, {
        detail,
        restart: this.#restarts,
        of: MAX_RESTARTS,
      });
    } catch (error) {
      this.#restarts = MAX_RESTARTS;
      this.#lost('pinning worker could not restart', error);
    }
  }
}
