/**
 * The cache of prepared user modules, kept by each worker thread (a driver module is
 * loaded once per thread): an LLM writes a new module every turn, none of them belongs
 * in the user's on-disk cache, and a count-bounded cache of large modules held gigabytes,
 * so entries are bounded by estimated bytes as well as by count.
 */
import type { MeteredImage } from "@llm-wasm-sandbox/wasi-host/driver";
import type { PreparedComponent } from "./component/prepare-component.js";

/** Default budget of the prepared-module cache (estimated bytes of compiled code). */
export const DEFAULT_IMAGE_CACHE_BYTES = 256 * 1024 * 1024;

/** Most entries the cache holds, whatever their size (each run sends the keys to the worker). */
export const MAX_IMAGE_CACHE_ENTRIES = 256;

/**
 * Host bytes a compiled module is estimated to hold per byte of metered WebAssembly
 * (V8's machine code and metadata are several times the wire bytes); used to size the
 * cache's entries, since V8 does not report a module's footprint.
 */
export const COMPILED_BYTES_PER_WIRE_BYTE = 8;

/** A prepared module or component, ready to run. */
export type PreparedEntry = { readonly kind: "module"; readonly image: Omit<MeteredImage, "hash"> } | { readonly kind: "component"; readonly component: PreparedComponent };

type Entry = PreparedEntry;

/** A least-recently-used cache whose entries each have a cost; the total and the count stay under budgets. */
export class PreparedCache {
  readonly #entries = new Map<string, { value: Entry; cost: number }>();
  #bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxEntries: number = MAX_IMAGE_CACHE_ENTRIES,
  ) {}

  /** The entry for `key`, now the most recently used; undefined when absent. */
  get(key: string): Entry | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.value;
  }

  /** Adds an entry, evicting the least recently used ones over budget (one larger than the budget is not kept). */
  set(key: string, value: Entry, cost: number): void {
    this.delete(key);
    if (cost > this.maxBytes) return;
    this.#entries.set(key, { value, cost });
    this.#bytes += cost;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.maxBytes && this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(k);
      this.#bytes -= e.cost;
    }
  }

  delete(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    this.#bytes -= e.cost;
  }

  /** The keys held (what the worker may skip preparing). */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.#bytes;
  }
}
