/**
 * Turns a stream of bytes into valid UTF-8, replacing each invalid sequence by U+FFFD
 * exactly as the WHATWG UTF-8 decoder (`TextDecoder`) would. The worker runs guest output
 * through it, so the host's decoding is one native pass over valid UTF-8 whose size is
 * already within the cap — never work that grows with how the guest mangled its bytes.
 *
 * An incomplete sequence at the end of a chunk is held back until the next chunk (or
 * `end()`), so chunks can be cut anywhere.
 */

/** Streaming UTF-8 sanitizer (one per output stream). */
export class Utf8Sanitizer {
  /** Bytes of the current sequence still expected, and the ones seen so far. */
  #needed = 0;
  #seen: number[] = [];
  #lower = 0x80;
  #upper = 0xbf;

  /** Sanitized bytes of `input`; an incomplete trailing sequence waits for the next call. */
  push(input: Uint8Array): Uint8Array {
    if (this.#needed === 0 && isAscii(input)) return input;
    // Worst case: every byte becomes a 3-byte replacement, plus a held-back sequence.
    const out = new Uint8Array(input.length * 3 + 4);
    let n = 0;
    const replace = (): void => {
      out[n++] = 0xef;
      out[n++] = 0xbf;
      out[n++] = 0xbd;
    };
    for (let i = 0; i < input.length; i++) {
      const byte = input[i] as number;
      if (this.#needed === 0) {
        if (byte <= 0x7f) out[n++] = byte;
        else if (!this.#start(byte)) replace();
        continue;
      }
      if (byte < this.#lower || byte > this.#upper) {
        // The sequence so far is one error; the byte starts over (WHATWG: "prepend").
        this.#reset();
        replace();
        i--;
        continue;
      }
      this.#lower = 0x80;
      this.#upper = 0xbf;
      this.#seen.push(byte);
      if (this.#seen.length === this.#needed + 1) {
        for (const b of this.#seen) out[n++] = b;
        this.#reset();
      }
    }
    return out.subarray(0, n);
  }

  /** Ends the stream: a sequence left incomplete becomes one U+FFFD. */
  end(): Uint8Array {
    if (this.#needed === 0) return new Uint8Array(0);
    this.#reset();
    return Uint8Array.of(0xef, 0xbf, 0xbd);
  }

  /** Begins a multi-byte sequence; false when `byte` cannot start one. */
  #start(byte: number): boolean {
    if (byte >= 0xc2 && byte <= 0xdf) this.#needed = 1;
    else if (byte >= 0xe0 && byte <= 0xef) {
      if (byte === 0xe0) this.#lower = 0xa0;
      if (byte === 0xed) this.#upper = 0x9f;
      this.#needed = 2;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      if (byte === 0xf0) this.#lower = 0x90;
      if (byte === 0xf4) this.#upper = 0x8f;
      this.#needed = 3;
    } else return false;
    this.#seen = [byte];
    return true;
  }

  #reset(): void {
    this.#needed = 0;
    this.#seen = [];
    this.#lower = 0x80;
    this.#upper = 0xbf;
  }
}

/** Length of the longest prefix of valid UTF-8 `bytes` (at most `max`) that ends on a character boundary. */
export function utf8PrefixLength(bytes: Uint8Array, max: number): number {
  if (max >= bytes.length) return bytes.length;
  let end = max;
  // Step back over continuation bytes to the start of the character that would be cut.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return end;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 0x7f) return false;
  return true;
}
