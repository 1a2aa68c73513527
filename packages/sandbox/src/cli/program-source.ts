import { existsSync } from "node:fs";
import { extname } from "node:path";
import { MAX_CODE_BYTES } from "../options.js";
import { readProgramFile } from "../program-file.js";
import { CliUsageError } from "./errors.js";
import { knownExtensions, runtimeForExtension } from "./plugins.js";

/** What `run` was asked to execute, before reading it. */
export interface SourceRequest {
  /** `-c`/`-e` inline code. */
  readonly inline?: string;
  /** The first positional: a file, `-` for stdin, or (with inline code) the first program argument. */
  readonly file?: string;
  readonly args: readonly string[];
  readonly runtime?: string;
}

/** The program to run, read and checked. */
export interface ProgramSource {
  readonly runtime: string;
  readonly code: string;
  readonly args: string[];
  /** How to name it in messages: the file name, `-` or `-c`. */
  readonly label: string;
}

const RUNTIME_HINT = "pass --runtime (-r), e.g. -r python (`llm-wasm-sandbox runtimes` lists them)";

/**
 * Resolves inline code (`-c`/`-e`, like `python -c` and `node -e`), stdin (`-`) or a file
 * into code, runtime and program arguments. With inline code every positional is a
 * program argument, as with `python -c CODE ARG...`.
 * @throws CliUsageError with a one-line message.
 */
export async function readProgramSource(req: SourceRequest, stdin: NodeJS.ReadableStream = process.stdin): Promise<ProgramSource> {
  if (req.inline !== undefined) {
    if (!req.runtime) throw new CliUsageError(`inline code (-c/-e) needs a runtime: ${RUNTIME_HINT}`);
    if (looksLikeOldConfigFlag(req.inline)) {
      throw new CliUsageError(`-c now means inline code (as in python -c); pass the policy file with --config ${req.inline}`);
    }
    return { runtime: req.runtime, code: req.inline, args: [...(req.file !== undefined ? [req.file] : []), ...req.args], label: "-c" };
  }
  if (req.file === undefined) throw new CliUsageError("nothing to run: give a file, - for stdin, or -c CODE (see llm-wasm-sandbox run --help)");
  if (req.file === "-") {
    if (!req.runtime) throw new CliUsageError(`code from stdin needs a runtime: ${RUNTIME_HINT}`);
    return { runtime: req.runtime, code: await readStdin(stdin), args: [...req.args], label: "-" };
  }
  const runtime = req.runtime ?? (await runtimeForExtension(extname(req.file)));
  if (!runtime) {
    const known = await knownExtensions();
    throw new CliUsageError(`cannot tell the runtime of "${req.file}" from its extension (the installed runtimes take ${known.join(" ") || "none"}); ${RUNTIME_HINT}`);
  }
  return { runtime, code: await readProgramFile(req.file), args: [...req.args], label: req.file };
}

/** Reads the program from stdin, refusing more than MAX_CODE_BYTES instead of buffering it all. */
async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.byteLength;
    if (size > MAX_CODE_BYTES) throw new CliUsageError(`the program on stdin is larger than ${MAX_CODE_BYTES} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** `-c sandbox.toml` from before -c meant code: an existing .toml file is surely a config. */
function looksLikeOldConfigFlag(inline: string): boolean {
  return /^[^\n]*\.toml$/i.test(inline.trim()) && existsSync(inline.trim());
}
