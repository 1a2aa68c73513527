/**
 * Paths every adapter must refuse with InvalidPathError, before touching storage.
 * Exported so adapter-specific tests (and the session API) can reuse the list.
 */
export const HOSTILE_PATHS: readonly string[] = [
  "../escape.txt",
  "a/../../escape.txt",
  "/etc/passwd",
  "nul\0byte.txt",
  "back\\slash.txt",
  `${"x".repeat(300)}.txt`,
  `${"d/".repeat(600)}f`,
  "",
];

/** Session ids every adapter must refuse with InvalidSessionIdError. */
export const HOSTILE_SESSION_IDS: readonly string[] = ["../evil", "a/b", "a\\b", "", ".hidden", "x".repeat(200), "sp ace", "nul\0"];
