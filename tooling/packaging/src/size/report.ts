import { type Combination, MB } from "./combinations.js";
import type { InstallMeasurement } from "./measure.js";

/** One row of the size table. */
export interface SizeRow {
  readonly combination: Combination;
  readonly measurement: InstallMeasurement;
}

/** True when the install fits under its ceiling. */
export const withinCeiling = (row: SizeRow): boolean => row.measurement.bytes <= row.combination.ceilingBytes;

/** The size table as Markdown (what `pnpm size` prints and the issue quotes). */
export function formatSizeTable(rows: readonly SizeRow[]): string {
  const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const lines = [
    "| install | size | ceiling | | on disk (du) | packages | largest packages | commands in .bin |",
    "| --- | ---: | ---: | --- | ---: | ---: | --- | --- |",
  ];
  for (const row of rows) {
    const { combination: c, measurement: m } = row;
    const largest = m.largest.map((p) => `${p.name} ${mb(p.bytes)}`).join(", ");
    lines.push(`| ${c.label} | ${mb(m.bytes)} | ≤ ${mb(c.ceilingBytes)} | ${withinCeiling(row) ? "ok" : "**OVER**"} | ${mib(m.diskBytes)} | ${m.packages} | ${largest} | ${m.bins.join(" ") || "—"} |`);
  }
  return (
    `${lines.join("\n")}\n\n` +
    "size: the sum of file sizes under node_modules after `npm install` of the packed tarballs (MB = 10^6 bytes; the ceilings apply to it). " +
    "on disk: what `du -sh` says on this filesystem (blocks included; issue 15's first table was measured that way)."
  );
}
