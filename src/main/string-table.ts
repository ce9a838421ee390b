import type { Recorder } from './recorder';

/** Ids are reused after this many distinct strings, so the tables on both sides stay bounded. */
const MAX_STRINGS = 65_536;

/**
 * Interns strings (labels, stacks, keys) so each travels to the worker once and is then
 * named by a small integer. When full, the table starts over: ids restart at 1 and each
 * string is defined again before its next use, which the worker handles by overwriting.
 */
export class StringTable {
  readonly #recorder: Recorder;
  #ids = new Map<string, number>();
  #next = 1;
  #lastText = '';
  #lastId = 0;

  constructor(recorder: Recorder) {
    this.#recorder = recorder;
  }

  /** The id of `text`, defining it first if needed; 0 when it could not be sent. */
  idOf(text: string): number {
    // Consecutive deliveries of one block to many streams ask for the same key.
    if (text === this.#lastText && this.#lastId !== 0) return this.#lastId;
    let id = this.#ids.get(text);
    if (id === undefined) {
      if (this.#next > MAX_STRINGS) this.#startOver();
      id = this.#next;
      if (!this.#recorder.defineString(id, text)) return 0;
      this.#next++;
      this.#ids.set(text, id);
    }
    this.#lastText = text;
    this.#lastId = id;
    return id;
  }

  /** Forgets every id (the worker that knew them is gone). */
  reset(): void {
    this.#startOver();
  }

  #startOver(): void {
    this.#ids = new Map();
    this.#next = 1;
    this.#lastText = '';
    this.#lastId = 0;
  }
}
