import { defineHidden } from './consumer-stream';

interface SavedMethod {
  /** The object's own property before the patch; undefined when it came from the prototype. */
  own: PropertyDescriptor | undefined;
  patched: unknown;
}

/**
 * Replaces methods of one object with hidden own properties and can put the originals
 * back. A method that someone else has replaced since is left alone on restore, so
 * undoing our patch never removes another tool's.
 */
export class MethodPatch {
  readonly #target: object;
  readonly #saved = new Map<PropertyKey, SavedMethod>();

  constructor(target: object) {
    this.#target = target;
  }

  /** The method in effect now (own or inherited), to be called by the patched one. */
  original<F>(key: PropertyKey): F {
    return (this.#target as Record<PropertyKey, F>)[key];
  }

  install(key: PropertyKey, patched: unknown): void {
    const own = Object.getOwnPropertyDescriptor(this.#target, key);
    defineHidden(this.#target, key, patched);
    this.#saved.set(key, { own, patched });
  }

  /** Puts back every original still covered by our patch. */
  restore(): void {
    const target = this.#target as Record<PropertyKey, unknown>;
    for (const [key, saved] of this.#saved) {
      if (target[key] !== saved.patched) continue;
      if (saved.own === undefined) delete target[key];
      else Object.defineProperty(target, key, saved.own);
    }
    this.#saved.clear();
  }
}
