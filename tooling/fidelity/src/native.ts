/**
 * The native interpreters the corpus's expected outputs came from. A program's `.out` is
 * what this interpreter printed with the corpus folder's program as its script, run in an
 * empty working directory standing in for `/app` (JavaScript gets `native/node-prelude.mjs`:
 * the sandbox's file helpers over that directory).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CorpusLanguage, CorpusProgram } from "./corpus.js";
import { corpusDir } from "./corpus.js";

/** How to run a language natively, and the version the expected outputs were recorded with. */
export interface NativeInterpreter {
  readonly command: string;
  readonly args: readonly string[];
  /** Prints the interpreter's version (compared with {@link NativeInterpreter.recordedWith}). */
  readonly versionArgs: readonly string[];
  /** Version prefix the committed `.out` files were recorded with. */
  readonly recordedWith: string;
}

const prelude = (): string => join(corpusDir("javascript"), "..", "..", "native", "node-prelude.mjs");

/** The recording interpreters: CPython 3.11, Node 20, Ruby 3.1, Lua 5.4 (Debian's lua5.4). */
export const NATIVE: Readonly<Record<CorpusLanguage, () => NativeInterpreter>> = {
  python: () => ({ command: "python3", args: [], versionArgs: ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], recordedWith: "3.11" }),
  javascript: () => ({ command: process.execPath, args: ["--import", prelude()], versionArgs: ["-p", "process.versions.node.split('.')[0]"], recordedWith: "20" }),
  ruby: () => ({ command: "ruby", args: [], versionArgs: ["-e", "print RUBY_VERSION[/\\A\\d+\\.\\d+/]"], recordedWith: "3.1" }),
  lua: () => ({ command: "lua5.4", args: [], versionArgs: ["-e", "print(_VERSION:match('%d+%.%d+'))"], recordedWith: "5.4" }),
};

/** The native interpreter for a language when it is installed at the recorded version, else null (with why). */
export function nativeInterpreter(language: CorpusLanguage): { interpreter: NativeInterpreter | null; why: string } {
  const interpreter = NATIVE[language]();
  try {
    const version = execFileSync(interpreter.command, [...interpreter.versionArgs], { encoding: "utf8", timeout: 30_000 }).trim();
    if (version !== interpreter.recordedWith) return { interpreter: null, why: `${interpreter.command} is ${version}; the expected outputs were recorded with ${interpreter.recordedWith}` };
    return { interpreter, why: "" };
  } catch {
    return { interpreter: null, why: `${interpreter.command} is not installed` };
  }
}

/** Runs a program natively in a fresh working directory; returns its stdout, stderr and status. */
export function runNative(interpreter: NativeInterpreter, program: CorpusProgram): { stdout: string; stderr: string; status: number | null } {
  const cwd = mkdtempSync(join(tmpdir(), "corpus-native-"));
  try {
    const r = spawnSync(interpreter.command, [...interpreter.args, program.path], {
      cwd,
      encoding: "utf8",
      timeout: 120_000,
      env: { PATH: process.env.PATH ?? "", TZ: "UTC", LANG: "C.UTF-8", HOME: cwd },
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

