/**
 * The host side of start hints (see `start-hint.ts`): what this process asked its pool
 * threads to load, saved as a hint for the next process. Kept apart from the reading side,
 * which the `./prestart` entry loads before anything else: writing needs node:crypto and
 * node:fs/promises (`atomicWrite`), which a new process need not load before it starts its
 * pool thread.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { atomicWrite } from "../cache/atomic-write.js";
import type { PrepareImageInput } from "../cache/prepare-image.js";
import { HINT_NAME, MAX_HINT_ENTRIES, START_HINT_DIR, startHintPath } from "./start-hint.js";

const recorded = { images: [] as PrepareImageInput[], drivers: [] as string[] };

/** Notes an image preparation this process asked a pool thread for (see `load-module.ts`). */
export function noteImageLoad(input: PrepareImageInput): void {
  if (!("path" in input.source) || input.cacheDir === null || recorded.images.length >= MAX_HINT_ENTRIES) return;
  recorded.images.push({ ...input, known: [] });
}

/** Notes a driver one of this process's runs used (see `runner.ts`). */
export function noteRunDriver(url: string): void {
  if (!recorded.drivers.includes(url) && recorded.drivers.length < MAX_HINT_ENTRIES) recorded.drivers.push(url);
}

/**
 * Saves what this process loaded as hint `name` (e.g. the runtime type) for the next
 * process, unless nothing was loaded or the file already says exactly that. Best effort:
 * never throws (a hint that cannot be written only costs the next process the head start).
 */
export async function saveStartHint(cacheDir: string, name: string): Promise<void> {
  if (!HINT_NAME.test(name) || recorded.images.length === 0) return;
  const text = JSON.stringify({ format: 1, images: recorded.images, drivers: recorded.drivers });
  const path = startHintPath(cacheDir, name);
  try {
    if ((await readFile(path, "utf8").catch(() => null)) === text) return;
    await mkdir(join(cacheDir, START_HINT_DIR), { recursive: true });
    await atomicWrite(path, text);
  } catch {
    // best effort (see above)
  }
}
