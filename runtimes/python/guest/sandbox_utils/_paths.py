"""Path validation shared by every sandbox_utils function.

Every path a helper touches must stay inside the /app workspace. Relative paths are
taken relative to /app, and any '..' segment is refused outright (rather than
normalised away) so that a path never means something other than what it says.
"""

import os

WORKSPACE = "/app"
INTERNAL_DIR = ".llm-sandbox"


def safe_path(path, *, allow_root=True):
    """Return the absolute, normalised form of ``path``, guaranteed to be inside /app.

    Raises ValueError for '..' segments, NUL bytes, paths outside /app, and (unless
    ``allow_root``) for /app itself.
    """
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str):
        raise TypeError(f"sandbox_utils: a path must be a string, got {type(path).__name__}")
    if "\0" in path:
        raise ValueError(f"sandbox_utils: path {path!r} contains a NUL byte")
    if ".." in path.replace("\\", "/").split("/"):
        raise ValueError(
            f"sandbox_utils: '..' is not allowed in paths ({path!r}); "
            f"use a path under {WORKSPACE}, e.g. {WORKSPACE}/data.csv"
        )
    full = path if path.startswith("/") else WORKSPACE + "/" + path
    full = os.path.normpath(full)
    if full.startswith("//"):
        full = full[1:]
    if full != WORKSPACE and not full.startswith(WORKSPACE + "/"):
        raise ValueError(
            f"sandbox_utils: path {path!r} is outside the workspace; only {WORKSPACE} can be used"
        )
    if not allow_root and full == WORKSPACE:
        raise ValueError(f"sandbox_utils: refusing to operate on the workspace root {WORKSPACE} itself")
    return full


def is_internal(full):
    """True for the sandbox's own bookkeeping directory, hidden from listings."""
    rel = full[len(WORKSPACE) + 1:]
    return rel == INTERNAL_DIR or rel.startswith(INTERNAL_DIR + "/")


def read_text(path):
    with open(safe_path(path, allow_root=False), encoding="utf-8") as f:
        return f.read()


def write_text(path, text, append=False):
    with open(safe_path(path, allow_root=False), "a" if append else "w", encoding="utf-8") as f:
        f.write(text)
