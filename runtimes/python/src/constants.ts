/** Facts about the Python runtime shared by the engine, the bench and the docs. */

/** The interpreter's version, as `sys.version` reports it. */
export const PYTHON_VERSION = "3.12.0";

/** Guest path of the user's code (a seed file: not journaled, not persisted). */
export const USER_CODE_GUEST_PATH = "/app/user_code.py";

/**
 * Interpreter flags: -s no user site; -S skips `site` (a sixth of start-up fuel; the
 * bootstrap supplies `exit`/`quit`); -B keeps `__pycache__` out of /app (it would show up
 * as created files); -u writes output straight through, so what was printed before a trap
 * is not lost. Not -I/-E: those would also ignore PYTHONHASHSEED and PYTHONPATH, which
 * the engine sets for the interpreter (see `interpreterEnv`). The guest environment is
 * otherwise the policy's `env` only, so the PYTHON* variables honoured are the ones the
 * host granted.
 */
export const PYTHON_FLAGS = ["-s", "-S", "-B", "-u"] as const;
