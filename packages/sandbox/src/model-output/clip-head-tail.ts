import { formatCount } from "@llm-wasm-sandbox/core";
/** Text cut to a budget, keeping its beginning and its end. */
export interface ClippedText {
  /** The kept head, a one-line marker naming how much was left out, and the kept tail. */
  readonly text: string;
  /** Characters (UTF-16 code units) of the original left out; 0 when nothing was cut. */
  readonly omittedChars: number;
}

/**
 * Keeps at most `maxChars` characters of `text`: the first half and the last half,
 * joined by a marker line such as `[… 12,345 characters omitted …]`. A model reading
 * the result sees how a program started and how it ended (where errors and final
 * answers are) and knows how much it did not see.
 *
 * Cuts prefer line boundaries near the cut points (whole lines read better) and never
 * split a surrogate pair. Work is bounded by `maxChars`, not by the length of `text`.
 */
export function clipHeadTail(text: string, maxChars: number): ClippedText {
  if (text.length <= maxChars) return { text, omittedChars: 0 };
  const budget = Math.max(0, Math.floor(maxChars));
  let headEnd = Math.ceil(budget / 2);
  let tailStart = text.length - (budget - headEnd);
  const window = Math.floor(budget / 10);
  // Snap to line boundaries when one is close: end the head after a newline, start the tail after one.
  for (let i = headEnd - 1; i >= 0 && i >= headEnd - 1 - window; i--) {
    if (text.charCodeAt(i) === NEWLINE) {
      headEnd = i + 1;
      break;
    }
  }
  for (let i = tailStart - 1; i < text.length && i <= tailStart + window; i++) {
    if (text.charCodeAt(i) === NEWLINE) {
      tailStart = i + 1;
      break;
    }
  }
  if (headEnd > 0 && isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd -= 1;
  if (tailStart < text.length && isLowSurrogate(text.charCodeAt(tailStart))) tailStart += 1;
  const omittedChars = tailStart - headEnd;
  const head = text.slice(0, headEnd);
  const tail = text.slice(tailStart);
  const marker = `[… ${formatCount(omittedChars)} characters omitted …]`;
  return { text: `${head}${head.endsWith("\n") || head === "" ? "" : "\n"}${marker}${tail === "" ? "" : "\n"}${tail}`, omittedChars };
}

const NEWLINE = 0x0a;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
