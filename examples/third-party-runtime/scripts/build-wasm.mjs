// Assembles src/tally.wat into dist/tally.wasm with wabt (a dev dependency): the
// interpreter ships as a binary in the published package, built, never committed.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import createWabt from "wabt";

const here = new URL("../", import.meta.url);
const wabt = await createWabt();
const source = await readFile(new URL("src/tally.wat", here), "utf8");
const module = wabt.parseWat("tally.wat", source, { bulk_memory: true });
module.validate();
const { buffer } = module.toBinary({});
module.destroy();
await mkdir(new URL("dist/", here), { recursive: true });
await writeFile(new URL("dist/tally.wasm", here), buffer);
console.log(`dist/tally.wasm: ${buffer.length} bytes`);
