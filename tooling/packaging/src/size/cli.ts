/**
 * `pnpm size`: packs every published package, installs issue 15's combinations into
 * temporary projects with plain npm, prints the size table and exits 1 when an install
 * is over its ceiling. `--keep` keeps the temporary projects and prints where they are.
 */
import { formatSizeTable, withinCeiling } from "./report.js";
import { runSizeCheck } from "./size-check.js";

const keep = process.argv.includes("--keep");
const check = await runSizeCheck();
try {
  console.log(formatSizeTable(check.rows));
  const over = check.rows.filter((row) => !withinCeiling(row));
  if (over.length > 0) {
    console.error(`\nover the ceiling: ${over.map((row) => row.combination.label).join("; ")}`);
    process.exitCode = 1;
  }
  if (keep) for (const row of check.rows) console.log(`${row.combination.label}: ${check.projectOf(row.combination)}`);
} finally {
  if (!keep) await check.dispose();
}
