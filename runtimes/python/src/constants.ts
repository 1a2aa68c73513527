/** Facts about the Python runtime shared by the engine, the bench and the docs. */

/** The interpreter's version, as `sys.version` reports it. */
export const PYTHON_VERSION = "3.12.0";

/** Guest path of the user's code (a seed file: not journaled, not persisted). */
export const USER_CODE_GUEST_PATH = "/app/user_code.py";

/**
 * Interpreter flags: -I isolates from the (policy) environment's PYTHON* variables and
 * the user site; -S skips `site` (the bootstrap supplies `exit`/`quit`); -B keeps
 * `__pycache__` out of /app (it would show up as created files); -u writes output straight
 * through, so what was printed before a trap is not lost.
 */
export const PYTHON_FLAGS = ["-I", "-S", "-B", "-u"] as const;
