import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Combination, COMBINATIONS } from "./combinations.js";
import { installFromTarballs } from "./install.js";
import { measureInstall } from "./measure.js";
import { packPublishedPackages } from "./pack.js";
import type { SizeRow } from "./report.js";

/** Tarballs and installed projects of one size check; `dispose()` deletes them. */
export interface SizeCheck {
  readonly rows: readonly SizeRow[];
  /** Package name → packed tarball, for further installs. */
  readonly tarballs: ReadonlyMap<string, string>;
  /** A fresh directory for such an install. */
  readonly workDir: string;
  /** The project directory each combination was installed into. */
  projectOf(combination: Combination): string;
  dispose(): Promise<void>;
}

/**
 * Packs every published package and installs each combination into its own project
 * (two at a time: installs wait on the network and the disk, not the CPU).
 */
export async function runSizeCheck(combinations: readonly Combination[] = COMBINATIONS): Promise<SizeCheck> {
  const work = await mkdtemp(join(tmpdir(), "llm-sandbox-size-"));
  try {
    const tarballs = join(work, "tarballs");
    await mkdir(tarballs);
    const packed = await packPublishedPackages(tarballs);
    const projects = new Map(combinations.map((c, i) => [c, join(work, `install-${i}`)]));
    const rows: SizeRow[] = [];
    for (let i = 0; i < combinations.length; i += 2) {
      const batch = combinations.slice(i, i + 2);
      await Promise.all(batch.map((c) => installFromTarballs(projects.get(c)!, c.install, packed)));
      for (const c of batch) rows.push({ combination: c, measurement: await measureInstall(projects.get(c)!) });
    }
    return {
      rows,
      tarballs: packed,
      workDir: work,
      projectOf: (c) => projects.get(c)!,
      dispose: () => rm(work, { recursive: true, force: true }),
    };
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    throw e;
  }
}
