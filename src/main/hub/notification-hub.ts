import type { BlockHolder, PinBackend } from './backend';
import type { SinkHost, SinkView } from './hub-stream';
import type { BlockHeader, FinalityDetails, ImportDetails, Pin } from './notification';
import { Log } from '../../shared/log';
import { specFor } from '../options';
import { currentAgent } from '../state';
import { InMemoryBackend } from './backend';
import { HubSink, NotificationStream } from './hub-stream';
import { FinalityNotification, ImportNotification } from './notification';

export interface NotificationHubOptions {
  /** Where blocks are pinned. Default: a new InMemoryBackend with its default limit. */
  backend?: PinBackend;
}

export interface HubStreamOptions {
  /** How force-unpin warnings name this stream. Default `<label> stream <n>`. */
  name?: string;
}

const NAME_PATTERN = /^[^\n]{1,64}$/;
const log = new Log('main', 'warn');

/**
 * A port of Substrate's client notification API. Streams are async iterables; each block
 * announced with `notifyImported` or `notifyFinalized` reaches every open stream of its
 * kind as a notification object of its own, which pins the block in the backend until it
 * is released, disposed, dropped from a closed stream's queue, or garbage collected.
 *
 * With the pinwatch agent on, every stream is tracked from its creation site; off, the
 * hub works the same and records nothing.
 */
export class NotificationHub<H extends BlockHeader = BlockHeader> {
  readonly backend: PinBackend;
  readonly #importSinks = new Set<HubSink<ImportNotification<H>>>();
  readonly #everyImportSinks = new Set<HubSink<ImportNotification<H>>>();
  readonly #finalitySinks = new Set<HubSink<FinalityNotification<H>>>();
  /** Every sink that is open or still holds pins: the candidates when naming holders. */
  readonly #holders = new Set<SinkView>();
  /** One registration per notification: its pin ends when the consumer drops it. */
  readonly #notifications = new FinalizationRegistry<Pin>((pin) => {
    if (pin.released) return;
    pin.released = true;
    pin.owner.unpinned(pin, true);
  });
  /** One registration per stream: a stream its consumer dropped is closed. */
  readonly #streams = new FinalizationRegistry<SinkView>((sink) => sink.close(true));
  #opened = 0;
  readonly #host: SinkHost = {
    unpinBlock: (hash) => this.#unpin(hash),
    detach: (sink) => this.#detach(sink),
    forget: (sink) => this.#holders.delete(sink),
  };

  constructor(options: NotificationHubOptions = {}) {
    this.backend = options.backend ?? new InMemoryBackend();
    try {
      this.backend.attachHolders?.((hash) => this.holdersOf(hash));
    } catch (error) {
      log.warn('backend attachHolders failed, force-unpins will not name holders', { error });
    }
  }

  /**
   * Imported blocks, once the node follows the tip: blocks of the initial sync
   * (origin `network-initial-sync`) are left out, as in Substrate.
   */
  importNotificationStream(options?: HubStreamOptions): NotificationStream<ImportNotification<H>> {
    return this.#open(this.#importSinks, 'import', options);
  }

  /** Every imported block, during the initial sync too. */
  everyImportNotificationStream(
    options?: HubStreamOptions,
  ): NotificationStream<ImportNotification<H>> {
    return this.#open(this.#everyImportSinks, 'every-import', options);
  }

  /** Finalized blocks. */
  finalityNotificationStream(
    options?: HubStreamOptions,
  ): NotificationStream<FinalityNotification<H>> {
    return this.#open(this.#finalitySinks, 'finality', options);
  }

  /** Announces an imported block to the import streams. Returns the streams reached. */
  notifyImported(header: H, details: ImportDetails = {}): number {
    const full: Required<ImportDetails> = {
      origin: details.origin ?? 'own',
      isNewBest: details.isNewBest ?? true,
      treeRoute: details.treeRoute ?? null,
    };
    let reached = this.#deliver(this.#everyImportSinks, header, (pin) => {
      return new ImportNotification(header, full, pin);
    });
    if (full.origin !== 'network-initial-sync') {
      reached += this.#deliver(this.#importSinks, header, (pin) => {
        return new ImportNotification(header, full, pin);
      });
    }
    return reached;
  }

  /** Announces a finalized block to the finality streams. Returns the streams reached. */
  notifyFinalized(header: H, details: FinalityDetails = {}): number {
    const full: Required<FinalityDetails> = {
      treeRoute: details.treeRoute ?? [],
      staleHeads: details.staleHeads ?? [],
    };
    return this.#deliver(this.#finalitySinks, header, (pin) => {
      return new FinalityNotification(header, full, pin);
    });
  }

  /** Open streams. */
  get streamCount(): number {
    return this.#importSinks.size + this.#everyImportSinks.size + this.#finalitySinks.size;
  }

  /** The streams holding live notifications of `hash`, the most first. */
  holdersOf(hash: string): BlockHolder[] {
    const holders: BlockHolder[] = [];
    for (const sink of this.#holders) {
      const count = sink.pinsOf(hash);
      if (count === 0) continue;
      holders.push({ name: sink.name, label: sink.label, stream: sink.streamId, count });
    }
    return holders.sort((a, b) => b.count - a.count);
  }

  /** Closes every stream, as a node shutting down does. */
  close(): void {
    for (const sinks of [this.#importSinks, this.#everyImportSinks, this.#finalitySinks]) {
      for (const sink of [...sinks]) sink.close(false);
    }
  }

  #open<N extends ImportNotification<H> | FinalityNotification<H>>(
    sinks: Set<HubSink<N>>,
    label: string,
    options: HubStreamOptions | undefined,
  ): NotificationStream<N> {
    const number = ++this.#opened;
    const name = streamName(options, `${label} stream ${number}`);
    const agent = currentAgent();
    let handle = null;
    if (agent !== null) {
      // The hub knows when each notification ends, so the agent follows release, not GC.
      const spec = { ...specFor({ label }, agent.settings), hold: 'external' as const };
      handle = agent.tracker.openStream({ ...spec, sampleEvery: 1 });
    }
    const sink = new HubSink<N>(this.#host, name, label, handle);
    const stream = new NotificationStream(sink);
    sinks.add(sink);
    this.#holders.add(sink);
    this.#streams.register(stream, sink, sink);
    return stream;
  }

  #deliver<N extends ImportNotification<H> | FinalityNotification<H>>(
    sinks: Set<HubSink<N>>,
    header: H,
    create: (pin: Pin) => N,
  ): number {
    const hash = header.hash;
    for (const sink of sinks) {
      this.#pin(hash);
      const pin: Pin = { hash, slot: 0, released: false, owner: sink };
      const notification = create(pin);
      this.#notifications.register(notification, pin);
      sink.offer(notification, pin);
    }
    return sinks.size;
  }

  #pin(hash: string): void {
    try {
      this.backend.pin(hash);
    } catch (error) {
      log.warn('backend pin failed', { hash, error });
    }
  }

  #unpin(hash: string): void {
    try {
      this.backend.unpin(hash);
    } catch (error) {
      log.warn('backend unpin failed', { hash, error });
    }
  }

  #detach(sink: SinkView): void {
    for (const sinks of [this.#importSinks, this.#everyImportSinks, this.#finalitySinks]) {
      (sinks as Set<SinkView>).delete(sink);
    }
    this.#streams.unregister(sink);
  }
}

function streamName(options: HubStreamOptions | undefined, fallback: string): string {
  const name = options?.name;
  if (name === undefined) return fallback;
  if (typeof name === 'string' && NAME_PATTERN.test(name)) return name;
  log.warn(`hub stream name must be 1 to 64 characters on one line, got ${String(name)}`, {
    using: fallback,
  });
  return fallback;
}
