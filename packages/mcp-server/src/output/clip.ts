/** A stream's text cut to fit a model's context: its head and its tail. */
export interface ClippedText {
  /** What the model sees: the whole text, or head + an omission marker + tail. */
  readonly text: string;
  /** UTF-8 bytes of the whole text. */
  readonly totalBytes: number;
  /** UTF-8 bytes left out of `text` (0 when nothing was cut). */
  readonly omittedBytes: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Keeps at most `maxBytes` of `text` (UTF-8): the first half and the last half, cut on
 * character boundaries and, where one is near, on line boundaries, with a marker line
 * between them saying how much was left out and where the rest is. One pass over the
 * bytes (the text is already capped by the run's output limit).
 */
export function clipHeadTail(text: string, maxBytes: number, where: string): ClippedText {
  const bytes = enc.encode(text);
  if (bytes.byteLength <= maxBytes) return { text, totalBytes: bytes.byteLength, omittedBytes: 0 };
  const half = Math.floor(maxBytes / 2);
  const headEnd = lineBoundaryBefore(bytes, charBoundary(bytes, half), half);
  const tailStart = lineBoundaryAfter(bytes, charBoundary(bytes, bytes.byteLength - half), half);
  const omitted = tailStart - headEnd;
  const head = dec.decode(bytes.subarray(0, headEnd));
  const marker = `${head === "" || head.endsWith("\n") ? "" : "\n"}[… ${omitted.toLocaleString("en-US")} of ${bytes.byteLength.toLocaleString("en-US")} bytes omitted here; ${where} …]\n`;
  return {
    text: head + marker + dec.decode(bytes.subarray(tailStart)),
    totalBytes: bytes.byteLength,
    omittedBytes: omitted,
  };
}

/** The largest index ≤ i that starts a UTF-8 character. */
function charBoundary(bytes: Uint8Array, i: number): number {
  let j = Math.max(0, Math.min(i, bytes.byteLength));
  while (j > 0 && j < bytes.byteLength && (bytes[j]! & 0xc0) === 0x80) j--;
  return j;
}

/** Moves a head cut back to just after a newline, if one is within the last eighth of the head. */
function lineBoundaryBefore(bytes: Uint8Array, end: number, span: number): number {
  const limit = Math.max(0, end - Math.floor(span / 8));
  for (let i = end - 1; i >= limit; i--) if (bytes[i] === 0x0a) return i + 1;
  return end;
}

/** Moves a tail cut forward to just after a newline, if one is within the first eighth of the tail. */
function lineBoundaryAfter(bytes: Uint8Array, start: number, span: number): number {
  const limit = Math.min(bytes.byteLength, start + Math.floor(span / 8));
  for (let i = start; i < limit; i++) if (bytes[i] === 0x0a) return i + 1;
  return start;
}
