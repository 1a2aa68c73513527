/** Facts about the Python runtime shared by the engine, the bench and the docs. */
import { INTERNAL_DIR } from "@llm-wasm-sandbox/core/workspace-path";

/** The interpreter's version, as `sys.version` reports it. */
export const PYTHON_VERSION = "3.14.2";

/** Guest path of the user's code (a seed file: not journaled, not persisted). */
export const USER_CODE_GUEST_PATH = "/app/user_code.py";

/** Workspace-relative path of the autoPersistGlobals state file (hidden from listings by the umbrella). */
export const STATE_FILE = `${INTERNAL_DIR}/python_state.json`;
