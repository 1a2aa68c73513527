/** 1 MB as the size table counts it: 10^6 bytes of file contents (what `du --apparent-size --si` says). */
export const MB = 1_000_000;

/** One install a user makes, and the most it may cost on disk. */
export interface Combination {
  /** How the table names it. */
  readonly label: string;
  /** The packages the user asks npm for; everything else comes in as their dependencies. */
  readonly install: readonly string[];
  /** Ceiling for `node_modules`, bytes. */
  readonly ceilingBytes: number;
}

const RUNTIMES = ["python", "javascript", "ruby", "lua", "wasm"].map((r) => `@llm-wasm-sandbox/runtime-${r}`);

/** The installs of issue 15's table, with its ceilings. */
export const COMBINATIONS: readonly Combination[] = [
  { label: "llm-wasm-sandbox + runtime-lua", install: ["llm-wasm-sandbox", "@llm-wasm-sandbox/runtime-lua"], ceilingBytes: 8 * MB },
  { label: "llm-wasm-sandbox + runtime-python", install: ["llm-wasm-sandbox", "@llm-wasm-sandbox/runtime-python"], ceilingBytes: 40 * MB },
  { label: "llm-wasm-sandbox + all five runtimes", install: ["llm-wasm-sandbox", ...RUNTIMES], ceilingBytes: 160 * MB },
  { label: "@llm-wasm-sandbox/mcp-server (Python + JavaScript)", install: ["@llm-wasm-sandbox/mcp-server"], ceilingBytes: 60 * MB },
];
