import { SessionNotFoundError } from "../errors/session-not-found-error.js";
import type { GuidanceChannel } from "./remedy.js";

/**
 * An error's message worded for a reader on another channel, for the errors whose own
 * message names a library option (`createIfMissing`); null when the message already
 * suits every reader. The API reader gets the error's own message.
 */
export function errorMessageFor(e: unknown, channel: GuidanceChannel): string | null {
  if (channel === "api" || channel === "tool" || !SessionNotFoundError.isInstance(e)) return null;
  const id = e.sessionId;
  return channel === "cli"
    ? `session "${id}" not found — check the id (\`llm-wasm-sandbox sessions list\` shows them), or create it with \`llm-wasm-sandbox run --session ${id} FILE\``
    : `session "${id}" not found — check the id, or omit session_id to start a new session (or call create_session)`;
}
