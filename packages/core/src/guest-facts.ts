/**
 * Facts a runtime's own bootstrap reports on the control channel (never scraped from the
 * guest's output). They are the guest's account of its run, so the host treats them as
 * data: it checks their shape, caps every string, and renders its own sentences from
 * them — a guest that forges a fact can only misdescribe its own run.
 *
 * Zod-free on purpose: worker threads parse these (`@llm-wasm-sandbox/core/guest-facts`).
 */

/** The uncaught error that ended the guest's program. */
export interface ErrorFact {
  readonly kind: "error";
  /** The language's error name: `ValueError`, `TypeError`, `NoMethodError`, … */
  readonly name: string;
  readonly message: string;
  /** Guest path of the file where it was raised, when known. */
  readonly file?: string;
  /** 1-based line in that file, when known. */
  readonly line?: number;
  /** The language's own traceback text, when it has one (capped). */
  readonly traceback?: string;
}

/** What happened to the persisted globals / `_state` at the end of the run. */
export interface StateFact {
  readonly kind: "state";
  /** `saved`: written; `unsaved`: nothing written (see `reason`); `fresh`: the saved state could not be read, the run started without it. */
  readonly status: "saved" | "unsaved" | "fresh";
  /** Names left out because their values cannot be persisted, with the language's reason. */
  readonly skipped?: readonly { readonly name: string; readonly reason: string }[];
  readonly reason?: string;
}

/** Every fact a bootstrap may report. */
export type GuestFact = ErrorFact | StateFact;

/** Caps applied to each fact (longer strings are cut, longer lists dropped past the cap). */
export const GUEST_FACT_LIMITS = {
  name: 200,
  message: 4000,
  file: 1024,
  traceback: 16_384,
  reason: 1000,
  skipped: 100,
  /** Facts kept per run. */
  facts: 64,
  /** Bytes of one control-channel message. */
  messageBytes: 65_536,
} as const;

/** Checks and caps one decoded control-channel message; null when it is not a fact. */
export function parseGuestFact(value: unknown): GuestFact | null {
  if (!isRecord(value)) return null;
  if (value.kind === "error") {
    const name = str(value.name, GUEST_FACT_LIMITS.name);
    const message = str(value.message, GUEST_FACT_LIMITS.message) ?? "";
    if (name === null || name === "") return null;
    const file = str(value.file, GUEST_FACT_LIMITS.file);
    const line = typeof value.line === "number" && Number.isSafeInteger(value.line) && value.line > 0 ? value.line : null;
    const traceback = str(value.traceback, GUEST_FACT_LIMITS.traceback);
    return {
      kind: "error",
      name,
      message,
      ...(file !== null ? { file } : {}),
      ...(line !== null ? { line } : {}),
      ...(traceback !== null ? { traceback } : {}),
    };
  }
  if (value.kind === "state") {
    const status = value.status;
    if (status !== "saved" && status !== "unsaved" && status !== "fresh") return null;
    const reason = str(value.reason, GUEST_FACT_LIMITS.reason);
    const skipped = Array.isArray(value.skipped)
      ? value.skipped
          .slice(0, GUEST_FACT_LIMITS.skipped)
          .filter(isRecord)
          .map((s) => ({ name: str(s.name, GUEST_FACT_LIMITS.name) ?? "?", reason: str(s.reason, GUEST_FACT_LIMITS.reason) ?? "" }))
      : null;
    return { kind: "state", status, ...(skipped !== null && skipped.length > 0 ? { skipped } : {}), ...(reason !== null ? { reason } : {}) };
  }
  return null;
}

/** The last fact of a kind, if any. */
export function lastFact<K extends GuestFact["kind"]>(facts: readonly GuestFact[], kind: K): Extract<GuestFact, { kind: K }> | null {
  for (let i = facts.length - 1; i >= 0; i--) {
    const fact = facts[i];
    if (fact?.kind === kind) return fact as Extract<GuestFact, { kind: K }>;
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A string cut at `max` UTF-16 units (never inside a surrogate pair); null when not a string. */
function str(v: unknown, max: number): string | null {
  if (typeof v !== "string") return null;
  if (v.length <= max) return v;
  const end = /[\uD800-\uDBFF]/.test(v.charAt(max - 1)) ? max - 1 : max;
  return v.slice(0, end);
}

/**
 * The host's notes about persisted state, rendered from the `state` facts. Guest-chosen
 * text (names, reasons) appears only quoted as data, so a forged fact cannot make a note
 * read like the host speaking.
 * @param what How the runtime calls its persisted state: "globals", "_state", "$state".
 * @param run How the run ended: a trap means nothing was saved whatever the facts say; a
 *   non-zero exit without a `saved`/`unsaved` fact means the bootstrap never got to save.
 */
export function stateNotes(facts: readonly GuestFact[], what: string, run: { readonly exitCode: number; readonly trapReason: string | null }): string[] {
  const stopped = run.trapReason !== null;
  const notes: string[] = [];
  let decided = false;
  for (const fact of facts) {
    if (fact.kind !== "state") continue;
    if (fact.status === "fresh") notes.push(`${what}: the copy saved by an earlier run could not be read${because(fact.reason)}; this run started without it.`);
    else decided = true;
    for (const s of fact.skipped ?? []) notes.push(`${what}: ${JSON.stringify(s.name)} was not persisted${because(s.reason)}.`);
    if (fact.status === "unsaved" && !stopped) notes.push(`${what}: not saved${because(fact.reason)}.`);
  }
  if (stopped) notes.push(`${what}: not saved, the run was stopped before it finished.`);
  else if (!decided && run.exitCode !== 0) notes.push(`${what}: not saved, the run did not finish successfully.`);
  return notes;
}

function because(reason: string | undefined): string {
  return reason === undefined || reason === "" ? "" : ` (${JSON.stringify(reason)})`;
}
