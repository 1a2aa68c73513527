import { InvalidArgumentError } from "commander";

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** Parses "67108864", "64MiB", "64m", "1.5GiB" into bytes (binary units). */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new InvalidArgumentError(`"${text}" is not a size; use bytes or a unit such as 64MiB`);
  return Math.floor(Number(m[1]) * unit);
}

/** Parses a non-negative integer that may use `_` separators or exponent form ("2e9"). */
export function parseCount(text: string): number {
  const n = Number(text.replaceAll("_", ""));
  if (!Number.isFinite(n) || n < 0 || !Number.isInteger(n)) throw new InvalidArgumentError(`"${text}" is not a whole number`);
  return n;
}

/** Collects repeatable KEY=VALUE options into a record. */
export function collectEnv(pair: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = pair.indexOf("=");
  if (i <= 0) throw new InvalidArgumentError(`"${pair}" is not KEY=VALUE`);
  return { ...previous, [pair.slice(0, i)]: pair.slice(i + 1) };
}

/** Collects a repeatable option's values in order (`--plugin a --plugin b`). */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
