/**
 * The Python reading of a raw run: the exception the bootstrap reported on the control
 * channel becomes the language error; the `state` facts become notes.
 */
import type { RawRun, RunInterpretation } from "@llm-wasm-sandbox/core";
import { lastFact, stateNotes } from "@llm-wasm-sandbox/core/guest-facts";
import { pythonLanguageError } from "./traceback.js";

/** The plugin's `interpret`. */
export function interpretPythonRun(raw: RawRun, autoPersistGlobals: boolean): RunInterpretation {
  const error = lastFact(raw.facts, "error");
  const notes = autoPersistGlobals ? stateNotes(raw.facts, "Globals", raw) : [];
  return {
    languageError: error
      ? pythonLanguageError({ name: error.name, message: error.message.split("\n")[0] ?? "", line: error.line ?? null, file: error.file ?? null })
      : null,
    ...(notes.length > 0 ? { notes } : {}),
  };
}
